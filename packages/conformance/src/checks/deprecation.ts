import {
  describeLifecycle,
  parseDeprecationHeaders,
  RESOURCES,
  type ResourceDefinition,
} from '@concurkit/contract'
import { type CheckDefinition, type CheckOutcome, expect, fail, pass, warn } from '../types.js'

const G = 'deprecation'

const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p).toLowerCase()

/** Whether the endpoint an `x-api-warn` names covers the requested path (placeholders match a segment). */
function names(endpoint: string, path: string): boolean {
  const pattern = trim(endpoint)
    .split(/\{[^}]+\}/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+')
  return new RegExp(`^${pattern}(/|$)`).test(trim(path))
}

/**
 * One check per registry row Concur retired: a read of it must carry Concur's deprecation
 * signals (`x-api-warn` in the documented format, `sunset` as an HTTP-date). Against the built-in
 * mock a missing header fails; against a remote target it is a warning, since Concur does not say
 * which of its deprecated APIs already send them. A decommissioned endpoint that answers 404 or 410
 * passes: it is gone, as announced.
 */
export function deprecationChecks(): CheckDefinition[] {
  // A row whose list path needs a parent id (v2.0 report details) is read through its family's list.
  return RESOURCES.filter((r) => r.lifecycle.status !== 'active' && !/\{[^}]+\}/.test(r.path)).map(
    (row): CheckDefinition => ({
      id: `deprecation.${row.name}`,
      title: `${row.path} (${describeLifecycle(row.lifecycle)}) answers with x-api-warn and sunset`,
      reference: '§0, §10.1 (v4)',
      group: G,
      resource: row.name,
      run: (t) => signalled(t, row),
    }),
  )
}

async function signalled(
  t: Parameters<CheckDefinition['run']>[0],
  row: ResourceDefinition,
): Promise<CheckOutcome> {
  const s = await t.session()
  const query = row.paging.kind === 'v3' ? '?limit=1' : ''
  const res = await t.wire.request({
    url: `${s.geolocation}${row.path}${query}`,
    token: s.accessToken,
    accept: row.format === 'xml' ? 'application/xml' : 'application/json',
  })
  const lc = row.lifecycle
  if (lc.status === 'active') return pass('active')
  const notice = parseDeprecationHeaders((name) => res.headers.get(name))
  if (!notice) {
    if (lc.status === 'decommissioned' && (res.status === 404 || res.status === 410))
      return pass(`decommissioned at Concur; the target answered ${res.status}`)
    const why = `${row.path} answered ${res.status} without x-api-warn/sunset although Concur ${describeLifecycle(lc)}`
    if (t.kind === 'mock') fail(why)
    return warn(`${why} (Concur sends them on deprecated APIs since the 2026-03 release)`)
  }
  if (!notice.endpoint)
    fail(
      `x-api-warn is not in Concur's documented format ('<endpoint>' is deprecated; use '<path>'. …): ${notice.warning.slice(0, 120)}`,
    )
  expect(names(notice.endpoint, row.path), `x-api-warn names ${notice.endpoint}, not ${row.path}`)
  const sunset = res.headers.get('sunset')
  if (sunset !== null) expect(notice.sunset, `sunset is not an HTTP-date: ${sunset.slice(0, 60)}`)
  const dated = lc.status === 'decommissioned' || lc.deprecated !== undefined
  if (dated && !notice.sunset) {
    if (t.kind === 'mock')
      fail(`${row.path} carries x-api-warn but no sunset although Concur published a date`)
    return warn(`x-api-warn without sunset on ${row.path}`)
  }
  return pass(
    `${notice.status}${notice.replacement ? ` → ${notice.replacement}` : ''}${notice.sunset ? `; sunset ${notice.sunset.slice(0, 10)}` : ''}`,
  )
}
