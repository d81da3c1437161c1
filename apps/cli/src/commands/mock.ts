import type { DatacenterName } from '@concurkit/contract'
import type { ListenOptions, MockConcur, RunningMock } from '@concurkit/mock-concur'
import { type Command, Option } from 'commander'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, processIo } from '../io.js'

interface MockCommandOptions {
  port: string
  seed?: string
  companies?: string
  size?: string
  workers?: string
  datacenters?: string
  host: string
  adminKeyEnv?: string
  lifecycle?: 'serve' | 'strict' | 'new-app'
  json?: boolean
  consent?: boolean
  tls?: boolean
  tlsDir?: string
  tlsCaCert?: string
  tlsCaKey?: string
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value.trim())) throw usageError(`--${name} must be an integer (got "${value}")`)
  const n = Number(value)
  if (n < min || n > max) throw usageError(`--${name} must be between ${min} and ${max}`)
  return n
}

async function datacenterList(value: string | undefined): Promise<DatacenterName[] | undefined> {
  if (value === undefined) return undefined
  const { DatacenterName } = await import('@concurkit/contract')
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (names.length === 0) throw usageError('--datacenters needs at least one name')
  return names.map((name) => {
    const parsed = DatacenterName.safeParse(name)
    if (!parsed.success)
      throw usageError(`unknown datacenter "${name}" (known: ${DatacenterName.options.join(', ')})`)
    return parsed.data
  })
}

/** The `tls` option of `listen()` from `--tls`, `--tls-dir`, `--tls-ca-cert` and `--tls-ca-key`. */
async function tlsOption(opts: MockCommandOptions): Promise<ListenOptions['tls'] | undefined> {
  const wanted =
    opts.tls || opts.tlsDir !== undefined || opts.tlsCaCert !== undefined || opts.tlsCaKey !== undefined
  if (!wanted) return undefined
  if ((opts.tlsCaCert === undefined) !== (opts.tlsCaKey === undefined))
    throw usageError('--tls-ca-cert and --tls-ca-key go together')
  if (opts.tlsDir !== undefined && !opts.tlsDir.trim()) throw usageError('--tls-dir needs a directory')
  let ca: { cert: string; key: string } | undefined
  if (opts.tlsCaCert !== undefined && opts.tlsCaKey !== undefined) {
    const { readFile } = await import('node:fs/promises')
    const read = async (flag: string, file: string) => {
      try {
        return await readFile(file, 'utf8')
      } catch (err) {
        const reason =
          (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))
        throw usageError(`${flag}: cannot read ${file} (${reason})`)
      }
    }
    ca = { cert: await read('--tls-ca-cert', opts.tlsCaCert), key: await read('--tls-ca-key', opts.tlsCaKey) }
  }
  return { ...(opts.tlsDir !== undefined ? { dir: opts.tlsDir } : {}), ...(ca ? { ca } : {}) }
}

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

function humanLines(d: ReturnType<typeof import('@concurkit/mock-concur').describeMock>): string {
  const lines = Object.entries(d.datacenters).map(([dc, url]) => `datacenter ${dc.padEnd(9)} ${url}`)
  lines.push(`admin API            ${d.admin}/_mock`)
  if (d.tls) lines.push(`CA certificate       ${d.tls.ca}  (trust it: NODE_EXTRA_CA_CERTS, curl --cacert)`)
  const c = d.companies[0]
  if (c) {
    lines.push(
      '',
      `default company: ${c.name} (${c.id}) in ${c.datacenter}`,
      `  client_id      ${c.clientId}`,
      `  client_secret  ${c.clientSecret}`,
      ...c.users.map(
        (u) =>
          `  ${u.roles.includes('WebServicesAdmin') ? 'ws-admin' : 'user    '}       ${u.loginId}  ${u.password}`,
      ),
      '',
      `${d.companies.length} companies; all credentials: GET ${d.admin}/_mock/companies or --json. Ctrl+C stops.`,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * Registers `concurkit mock`: runs the Concur mock on real ports until SIGINT/SIGTERM. `--consent`
 * is defined before `--no-consent`: commander takes the pair's default from the option defined
 * first, so the other order made the consent page the default. With `--json`
 * it prints exactly one JSON line once listening: `{"datacenters", "admin", "companies": [...]}`.
 *
 * @example
 * registerMockCommand(program)
 * // $ concurkit mock --port 0 --json
 */
export function registerMockCommand(program: Command, io: CliIo = processIo()): Command {
  return (
    program
      .command('mock')
      .description('Run the SAP Concur mock: one origin per datacenter, admin API under /_mock')
      .option('--port <n>', 'first port; datacenter i listens on port+i (0 = free ports)', '4010')
      .option('--seed <n>', 'dataset seed (same seed, same bytes)')
      .option('--companies <n>', 'number of companies')
      .option('--size <n>', 'expense reports per company')
      .option('--datacenters <list>', 'comma-separated datacenters, e.g. us,eu2')
      .option('--host <host>', 'interface to bind', '127.0.0.1')
      .option(
        '--workers <n>',
        'worker threads that render v3.0 list pages until the first write (0 = none, the default)',
      )
      .option('--admin-key-env <NAME>', 'protect /_mock with the key held in this environment variable')
      .addOption(
        new Option(
          '--lifecycle <mode>',
          'retired endpoints: serve (x-api-warn + sunset), strict (decommissioned → 410), new-app (deprecated → 403 too)',
        ).choices(['serve', 'strict', 'new-app']),
      )
      // `--consent` first: commander takes the default of a `--x`/`--no-x` pair from the option
      // defined first, so registering `--no-consent` first made the consent page the default.
      .addOption(
        new Option(
          '--consent',
          'show a consent page on /oauth2/v0/authorize instead of auto-approving',
        ).default(false),
      )
      .addOption(new Option('--no-consent', 'auto-approve /oauth2/v0/authorize (default)').hideHelp())
      .option('--json', 'print one JSON line (URLs and credentials) once listening')
      .option(
        '--tls',
        'serve HTTPS with a certificate from a CA generated at start (its PEM path is printed)',
      )
      .option(
        '--tls-dir <dir>',
        'write the CA certificate (ca.pem) here instead of a new temp dir (implies --tls)',
      )
      .option(
        '--tls-ca-cert <file>',
        'sign the server certificate with this CA (PEM) instead (implies --tls)',
      )
      .option('--tls-ca-key <file>', "that CA's private key (PEM), needed with --tls-ca-cert")
      .action(async (opts: MockCommandOptions) => {
        const port = integer('port', opts.port, 0, 65535) ?? 4010
        const seed = integer('seed', opts.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
        const companies = integer('companies', opts.companies, 1, 1000)
        const size = integer('size', opts.size, 0, 100_000_000)
        const workers = integer('workers', opts.workers, 0, 64)
        const datacenters = await datacenterList(opts.datacenters)
        const tls = await tlsOption(opts)
        // The mock (Faker's locale data, Hono, jose) is loaded only when this command runs, so
        // `concurkit --help` and the other commands start fast.
        const { createMockConcur, describeMock } = await import('@concurkit/mock-concur')
        let adminKey: string | undefined
        if (opts.adminKeyEnv !== undefined) {
          adminKey = io.env[opts.adminKeyEnv]
          if (!adminKey) throw usageError(`environment variable ${opts.adminKeyEnv} is empty or not set`)
          io.redactor.add(adminKey)
        }
        let mock: MockConcur
        try {
          mock = createMockConcur({
            ...(seed === undefined ? {} : { seed }),
            ...(companies === undefined ? {} : { companies }),
            ...(size === undefined ? {} : { size }),
            ...(datacenters ? { datacenters } : {}),
            ...(adminKey ? { adminKey } : {}),
            ...(opts.lifecycle ? { lifecycle: opts.lifecycle } : {}),
            autoApprove: opts.consent !== true,
          })
        } catch (err) {
          throw usageError(err instanceof Error ? err.message : String(err))
        }
        let running: RunningMock
        try {
          running = await mock.listen({
            host: opts.host,
            port,
            ...(tls ? { tls } : {}),
            ...(workers ? { workers } : {}),
          })
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err)
          if ((err as { code?: unknown }).code === 'CONCUR_MOCK_TLS') throw usageError(`--tls: ${reason}`)
          throw new CliError(`cannot listen on ${opts.host}:${port}: ${reason}`, EXIT.NETWORK, { cause: err })
        }
        const stopped = untilSignal()
        if (opts.json) io.stdout.write(`${JSON.stringify(describeMock(mock, running))}\n`)
        else io.stdout.write(humanLines(describeMock(mock, running)))
        await stopped
        await running.close()
      })
  )
}
