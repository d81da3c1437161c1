import { constants, createReadStream } from 'node:fs'
import { access, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { type Command, Option } from 'commander'
import { parseBaseUrl } from '../credentials.js'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, debug, note } from '../io.js'
import { intOption } from './conformance.js'
import { duckDbTarget, planTables, prepareStaging, type TablePlan, writeTables } from './extract-tables.js'

interface ExtractCliOptions {
  format: 'ndjson' | 'csv' | 'json' | 'parquet'
  out?: string
  status?: string
  approvalStatus?: string
  user?: string
  dateField?: string
  on?: string
  from?: string
  /** `--to`: a range end, and/or a `duckdb:<file>` target (the option takes both, told apart by the prefix). */
  to?: ToValues
  daysBack?: number
  since?: string
  baseUrl?: string
  incremental?: boolean
  resume?: boolean
  dropNulls?: boolean
  concurrency: number
  profile: string
}

/** `concurkit extract <resource...>`: streams resources to NDJSON, CSV or JSON through `@concurkit/client`. */
export function registerExtractCommand(program: Command, io: CliIo): void {
  program
    .command('extract')
    .description('Extract resources to NDJSON, CSV or JSON; the output appears only when complete.')
    .argument('<resource...>', 'resource names (see `concurkit resources`)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['ndjson', 'csv', 'json', 'parquet'])
        .default('ndjson'),
    )
    .option('--out <file>', 'output file, a directory for several resources, or - for stdout')
    .option('--status <status>', 'report status (Reports Detail), e.g. ACTIVE, PENDING')
    .option('--approval-status <code>', 'approval status code, e.g. A_APPR')
    .option('--user <login>', 'whose data: a login id, or ALL (Web Services Administrator)')
    .option('--date-field <field>', 'which date a range applies to, e.g. modifiedDate, submitDate, paidDate')
    .option('--on <date>', 'one day (yyyy-MM-dd)')
    .option('--from <date>', 'range start: a date or relative like 10d')
    .addOption(
      new Option(
        '--to <date|duckdb:file>',
        'range end: a date or relative like 5d; or duckdb:<file>: load into DuckDB instead of --out (one table per resource)',
      ).argParser(toValues),
    )
    .addOption(new Option('--days-back <n>', 'from N days ago until now').argParser(intOption(0, 36_500)))
    .option('--since <date>', 'records modified since this date (modifiedDate)')
    .option('--base-url <url>', "call this base instead of the token's geolocation")
    .option('--incremental', 'only records changed since the last incremental run (cursor in the config dir)')
    .option('--resume', 'continue an interrupted run from its checkpoint (the default)')
    .option('--no-resume', 'start over even when a checkpoint of an interrupted run exists')
    .option('--drop-nulls', 'drop null values from records')
    .addOption(new Option('--concurrency <n>', 'requests in flight').argParser(intOption(1, 64)).default(4))
    .option('--profile <name>', 'stored profile (when credentials are not in the environment)', 'default')
    .addHelpText(
      'after',
      `
Credentials: CONCUR_CLIENT_ID, CONCUR_CLIENT_SECRET, CONCUR_USERNAME, CONCUR_PASSWORD (no stored profile needed),
or a profile stored by \`concurkit auth login\` (plus CONCUR_CLIENT_SECRET to refresh it).

Examples:
  $ concurkit extract expense-reports --format csv --out reports.csv --user ALL --days-back 30
  $ concurkit extract expense-reports --approval-status A_APPR --date-field submitDate --from 10d --to 5d --out -
  $ concurkit extract expense-entries expense-itemizations --out ./export --incremental
  $ concurkit extract expense-reports expense-entries --format parquet --out ./parquet --user ALL
  $ concurkit extract expense-reports expense-entries --to duckdb:concur.duckdb --user ALL --incremental
An interrupted extract (Ctrl-C) leaves no partial file; run the same command again to resume.`,
    )
    .action(async (names: string[], opts: ExtractCliOptions) => {
      const contract = await import('@concurkit/contract')
      for (const n of names) {
        if (!contract.isResourceName(n))
          throw usageError(`unknown resource "${n}" (see \`concurkit resources\`)`)
      }
      const resources = names as import('@concurkit/contract').ResourceName[]
      let tables: TablePlan | undefined
      const toDate = opts.to?.date
      const toTable = opts.to?.table
      if (toTable !== undefined) {
        if (opts.out !== undefined) throw usageError('--to duckdb:<file> and --out exclude each other')
        if (opts.format !== 'ndjson') throw usageError('--to duckdb:<file> writes tables: leave out --format')
        opts.out = duckDbTarget(toTable)
        tables = planTables('duckdb', opts.out, resources)
      } else if (opts.out === undefined) {
        throw usageError("required option '--out <file>' not specified (or --to duckdb:<file>)")
      } else if (opts.format === 'parquet') {
        if (opts.out === '-') throw usageError('--format parquet writes files: --out <file> or <dir>')
        tables = planTables('parquet', opts.out, resources)
      }
      if (opts.out === '-' && resources.length > 1) throw usageError('--out - takes one resource')
      if (opts.on && (opts.from || toDate || opts.daysBack !== undefined)) {
        throw usageError('--on excludes --from, --to and --days-back')
      }
      if (opts.out !== '-') await expectWritable(opts.out, resources.length > 1 && tables?.kind !== 'duckdb')
      const baseUrl = opts.baseUrl ? parseBaseUrl(opts.baseUrl, '--base-url') : undefined
      const filter: Record<string, string | number> = {}
      if (opts.status) filter.status = opts.status
      if (opts.approvalStatus) filter.approvalStatus = opts.approvalStatus
      if (opts.user) filter.user = opts.user
      if (opts.dateField) filter.dateField = opts.dateField
      if (opts.on) filter.on = opts.on
      if (opts.from) filter.from = opts.from
      if (toDate) filter.to = toDate
      if (opts.daysBack !== undefined) filter.daysBack = opts.daysBack
      if (opts.since) {
        filter.from = opts.since
        filter.dateField ??= 'modifiedDate'
      }

      const { resolveTokenSource, configDir } = await import('../profiles.js')
      const clientLib = await import('@concurkit/client')
      const clientInternal = await import('@concurkit/client/internal')
      // bad filters and dates fail here, before signing in and before any file is created
      for (const name of resources) {
        const def = contract.getResource(name)
        const owner = def.paging.kind === 'fanout' ? contract.getResource(def.paging.from) : def
        clientInternal.buildQuery(owner, filter as import('@concurkit/client').ListFilter)
      }
      const source = await resolveTokenSource(io, { profile: opts.profile, ...(baseUrl ? { baseUrl } : {}) })
      const client = clientLib.createConcurClient({
        auth: source.manager,
        ...(baseUrl ? { baseUrl } : source.geolocation ? { baseUrl: source.geolocation } : {}),
        concurrency: opts.concurrency,
        ...(opts.dropNulls ? { dropNulls: true } : {}),
      })
      const controller = new AbortController()
      let interrupted = false
      const onSigint = () => {
        interrupted = true
        controller.abort()
      }
      // `on`, not `once`: a second signal while the extract winds down must not kill the process
      // before it has removed its partial files.
      process.on('SIGINT', onSigint)
      process.on('SIGTERM', onSigint)

      const toStdout = opts.out === '-'
      const scratch = toStdout ? await mkdtemp(join(tmpdir(), 'concurkit-extract-')) : undefined
      const out = scratch ? join(scratch, `${resources[0]}.${opts.format}`) : (tables?.ndjsonOut ?? opts.out)
      if (tables) await prepareStaging(tables)
      const progress = createProgress(io)
      const started = Date.now()
      try {
        const results = await clientLib.extract({
          client,
          resources: resources.length === 1 ? resources[0]! : resources,
          format: tables ? 'ndjson' : (opts.format as 'ndjson' | 'csv' | 'json'),
          out,
          filter: filter as import('@concurkit/client').ListFilter,
          resume: opts.resume !== false,
          ...(opts.incremental
            ? { incremental: { store: clientLib.fileCursorStore(join(configDir(io), 'cursors.json')) } }
            : {}),
          concurrency: opts.concurrency,
          onProgress: (p) => progress.update(p),
          signal: controller.signal,
        })
        progress.stop()
        if (tables) await writeTables(tables, resources)
        const list = Array.isArray(results) ? results : [results]
        if (toStdout) await pipeline(createReadStream(out), io.stdout, { end: false })
        const records = list.reduce((a, r) => a + r.records, 0)
        const pages = list.reduce((a, r) => a + r.pages, 0)
        const secs = (Date.now() - started) / 1000
        // After the work and next to the summary: a failed run still ends with exactly one line.
        for (const name of resources) {
          const retired = lifecycleWarning(contract.getResource(name))
          if (retired) note(io, retired)
        }
        note(
          io,
          `extracted ${records} records (${pages} pages) of ${resources.join(', ')} in ${secs.toFixed(1)} s${toStdout ? '' : ` → ${toTable ?? opts.out}`}${list.some((r) => r.resumed) ? ' (resumed)' : ''}`,
        )
      } catch (err) {
        progress.stop()
        if (interrupted) {
          throw new CliError(
            'interrupted: no output written; run the same command again to resume',
            EXIT.NETWORK,
            {
              cause: err,
            },
          )
        }
        throw err
      } finally {
        process.off('SIGINT', onSigint)
        process.off('SIGTERM', onSigint)
        await client.close().catch(() => {})
        if (scratch) await rm(scratch, { recursive: true, force: true })
        debug(io, 'extract finished')
      }
    })
}

interface ToValues {
  date?: string
  table?: string
}

/**
 * `--to` collects a range end and a table target (either order): a value with a scheme (`duckdb:…`,
 * or a mistyped `sqlite:…` that then fails as an unknown target) is a target, anything else a date.
 */
function toValues(value: string, previous: ToValues | undefined): ToValues {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? { ...previous, table: value } : { ...previous, date: value }
}

/**
 * Fails early (usage error, before any request) when `--out` cannot be written: its directory
 * (or, for several resources, the directory itself when it exists) must be a writable directory.
 */
async function expectWritable(out: string, isDir: boolean): Promise<void> {
  const target = resolve(out)
  let dir = dirname(target)
  if (isDir) {
    const existing = await stat(target).catch(() => undefined)
    if (existing && !existing.isDirectory()) throw usageError(`--out ${out}: not a directory`)
    if (existing) dir = target
  } else {
    const existing = await stat(target).catch(() => undefined)
    if (existing?.isDirectory()) throw usageError(`--out ${out}: is a directory (name a file)`)
    // The output is written beside the target and renamed over it: only a regular file (or a new
    // name) can be replaced that way. A device, FIFO or socket would be clobbered, not written to.
    if (existing && !existing.isFile()) {
      throw usageError(`--out ${out}: not a regular file (use --out - to write to stdout)`)
    }
  }
  const info = await stat(dir).catch(() => undefined)
  if (!info) throw usageError(`--out ${out}: directory ${dir} does not exist`)
  if (!info.isDirectory()) throw usageError(`--out ${out}: ${dir} is not a directory`)
  try {
    await access(dir, constants.W_OK)
  } catch {
    throw usageError(`--out ${out}: directory ${dir} is not writable`)
  }
}

interface Progress {
  update(p: {
    resource: string
    records: number
    pages: number
    rate: number
    total?: number
    done: boolean
  }): void
  stop(): void
}

/** A progress bar on stderr only when stderr is a TTY (cli-progress); silent otherwise. */
function createProgress(io: CliIo): Progress {
  if (!io.stderr.isTTY) return { update() {}, stop() {} }
  let bar: import('cli-progress').SingleBar | undefined
  let loading: Promise<void> | undefined
  return {
    update(p) {
      loading ??= import('cli-progress').then((m) => {
        const cp = (m as unknown as { default?: typeof m }).default ?? m
        bar = new cp.SingleBar(
          {
            stream: io.stderr,
            format:
              '{resource} [{bar}] {value}{totalText} records | {pages} pages | {rate}/s | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
          },
          cp.Presets.shades_classic,
        )
        bar.start(p.total ?? 0, 0, { resource: p.resource, pages: 0, rate: 0, totalText: '' })
      })
      void loading.then(() => {
        if (!bar) return
        if (p.total !== undefined) bar.setTotal(p.total)
        bar.update(p.records, {
          resource: p.resource,
          pages: p.pages,
          rate: Math.round(p.rate),
          totalText: p.total !== undefined ? `/${p.total}` : '',
        })
      })
    },
    stop() {
      bar?.stop()
    },
  }
}

/**
 * The one warning line for a resource Concur deprecated or decommissioned, naming its
 * replacement; `undefined` for an active one.
 */
export function lifecycleWarning(def: import('@concurkit/contract').ResourceDefinition): string | undefined {
  const lc = def.lifecycle
  if (lc.status === 'active') return undefined
  const when =
    lc.status === 'decommissioned'
      ? ` on ${lc.decommissioned}`
      : lc.deprecated
        ? ` since ${lc.deprecated}`
        : ''
  const use = lc.replacement ? `; use ${lc.replacement.api} (${lc.replacement.path})` : ''
  return `warning: ${def.name} (${def.path}) is ${lc.status} by Concur${when}${use}`
}
