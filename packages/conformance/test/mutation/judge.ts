import { type ConformanceResult, runConformance } from '../../src/index.js'
import type { Mutant } from './mutants.js'
import { type Handler, type ProxyContext, startProxiedMock } from './proxy.js'

/** The family of a check: the kind of a per-resource check (`filter`, `paging.limit`, …), else its area. */
export function familyOf(id: string): string {
  const parts = id.split('.')
  if (parts[0] === 'reports') return parts[2] === 'filter' ? 'filter' : parts.slice(2).join('.')
  return parts[0]!
}

/** One `--target` run of the whole suite against the mock behind a (mutating) proxy. */
export async function judge(
  wrap?: (upstream: Handler, ctx: ProxyContext) => Handler,
): Promise<ConformanceResult> {
  const proxied = await startProxiedMock(wrap)
  try {
    return await runConformance({
      target: {
        baseUrl: proxied.baseUrl,
        credentials: proxied.credentials,
        datacenters: proxied.datacenters,
        fetch: proxied.fetch,
        allowSubscriptions: true,
      },
      concurrency: 16,
    })
  } finally {
    await proxied.close()
  }
}

/** A mutant and the checks its run failed. */
export interface Kill {
  readonly mutant: Mutant
  readonly failed: readonly string[]
}

/** The README's mutation table: one row per mutant, the failing checks grouped by family. */
export function mutationTable(kills: readonly Kill[]): string {
  const rows = kills.map(({ mutant, failed }) => {
    const byFamily = new Map<string, string[]>()
    for (const id of failed) byFamily.set(familyOf(id), [...(byFamily.get(familyOf(id)) ?? []), id])
    const checks =
      failed.length <= 4
        ? failed.map((id) => `\`${id}\``).join(', ')
        : [...byFamily]
            .map(([family, ids]) =>
              ids.length === 1 ? `\`${ids[0]}\`` : `${ids.length}× ${family} (\`${ids[0]}\`, …)`,
            )
            .join('; ')
    return `| \`${mutant.id}\` | ${mutant.breaks} | ${failed.length} | ${checks || '**survived**'} |`
  })
  return ['| mutant | breaks | failed | failing checks |', '| --- | --- | --- | --- |', ...rows].join('\n')
}
