import type { Command } from 'commander'
import type { CliIo } from '../io.js'

/** `concurkit resources`: the registry's resources with their documented filters. */
export function registerResourcesCommand(program: Command, io: CliIo): void {
  program
    .command('resources')
    .description('List the Concur resources concurkit can extract, with their filters.')
    .option('--json', 'print JSON (one array)')
    .addHelpText(
      'after',
      `
Examples:
  $ concurkit resources
  $ concurkit resources --json | jq '.[] | select(.name == "expense-reports") | .filters'
  $ concurkit resources --json | jq -r '.[] | select(.lifecycle.status != "active") | .name'`,
    )
    .action(async (opts: { json?: boolean }) => {
      // Loaded when the command runs, so `concurkit --help` stays fast.
      const { RESOURCES, describeLifecycle } = await import('@concurkit/contract')
      const rows = RESOURCES.map((r) => ({
        name: r.name,
        title: r.title,
        api: r.api,
        path: r.path,
        format: r.format,
        paging: r.paging.kind,
        scope: r.scope,
        adminOnly: r.adminOnly,
        incremental: Boolean(r.modifiedFilter),
        reference: r.reference,
        lifecycle: r.lifecycle,
        filters: r.filters.map((f) => ({
          param: f.param,
          type: f.type,
          ...(f.values ? { values: [...f.values] } : {}),
          description: f.description,
        })),
      }))
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
        return
      }
      const lines: string[] = []
      for (const r of rows) {
        lines.push(
          `${r.name}  (${r.title}; ${r.api} ${r.format}; scope ${r.scope}${r.adminOnly ? '; admin' : ''})`,
        )
        lines.push(`  ${r.path}`)
        if (r.lifecycle.status !== 'active') lines.push(`  ${describeLifecycle(r.lifecycle)}`)
        if (r.filters.length > 0) lines.push(`  filters: ${r.filters.map((f) => f.param).join(', ')}`)
      }
      lines.push(`${rows.length} resources`)
      io.stdout.write(`${lines.join('\n')}\n`)
    })
}
