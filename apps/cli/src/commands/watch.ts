import { join } from 'node:path'
import { type Command, Option } from 'commander'
import { parseBaseUrl } from '../credentials.js'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, debug, note } from '../io.js'
import { intOption } from './conformance.js'

interface WatchCliOptions {
  interval: string
  callback?: string
  signingKeyEnv?: string
  once?: boolean
  deadLetter?: string
  stateDir?: string
  since: string
  user?: string
  attempts: number
  retryDelay: string
  timeout: string
  keepNulls?: boolean
  baseUrl?: string
  profile: string
}

/**
 * `concurkit watch <resource...>`: polls for changed records and delivers each change as a signed
 * webhook (or an NDJSON line on stdout), through `@concurkit/client`'s `watch` and `deliverWebhooks`.
 *
 * @example
 * registerWatchCommand(program, io) // concurkit watch expense-reports --callback https://… --signing-key-env KEY
 */
export function registerWatchCommand(program: Command, io: CliIo): void {
  program
    .command('watch')
    .description('Poll for changed records; POST each change as a signed webhook, or print it as NDJSON.')
    .argument('<resource...>', 'resources with a modified date, e.g. expense-reports expense-entries')
    .option('--interval <duration>', 'time between polls (30s, 5m, 1h)', '5m')
    .option('--callback <url>', 'POST each event here (JSON); without it events go to stdout as NDJSON')
    .option('--signing-key-env <name>', 'environment variable holding the HMAC-SHA256 signing key')
    .option('--once', 'poll once, deliver, and exit')
    .option(
      '--dead-letter <file>',
      'NDJSON file for events that fail every attempt (then the watch moves on)',
    )
    .option('--state-dir <dir>', 'where cursors live (default: <config dir>/watch)')
    .option('--since <when>', 'first run only: now, beginning, or a date / relative Nd', 'now')
    .option('--user <login>', 'whose data: a login id, or ALL (Web Services Administrator)')
    .addOption(
      new Option('--attempts <n>', 'delivery attempts per event').argParser(intOption(1, 100)).default(8),
    )
    .option('--retry-delay <duration>', 'first retry delay, doubled per attempt (max 1 min)', '1s')
    .option('--timeout <duration>', 'time the receiver has to answer', '10s')
    .option('--keep-nulls', 'keep null values in event records (dropped by default)')
    .option('--base-url <url>', "call this base instead of the token's geolocation")
    .option('--profile <name>', 'stored profile (when credentials are not in the environment)', 'default')
    .addHelpText(
      'after',
      `
Credentials: as for \`concurkit extract\` (CONCUR_CLIENT_ID, CONCUR_CLIENT_SECRET, CONCUR_USERNAME,
CONCUR_PASSWORD, or a profile stored by \`concurkit auth login\`).

Each event is {"id","type","resource","objectId","objectUri","record","occurredAt"}; "id" is the same on every
redelivery. Deliveries carry "concurkit-signature: t=<unix>,v1=<hex HMAC-SHA256 of t + '.' + body>" and
"concurkit-event-id". Delivery is at least once: the cursor moves only after the receiver answered 2xx (or the
event went to the dead-letter file). Without --dead-letter, an event that fails every attempt stops the watch.

Examples:
  $ WEBHOOK_KEY=… concurkit watch expense-reports --user ALL --interval 5m \\
      --callback https://hooks.example.com/concur --signing-key-env WEBHOOK_KEY --dead-letter dead.ndjson
  $ concurkit watch expense-reports expense-entries --once --since 7d > changes.ndjson`,
    )
    .action(async (names: string[], opts: WatchCliOptions) => {
      const contract = await import('@concurkit/contract')
      for (const n of names) {
        if (!contract.isResourceName(n))
          throw usageError(`unknown resource "${n}" (see \`concurkit resources\`)`)
        if (!contract.getResource(n).modifiedField)
          throw usageError(`${n} has no modified date and cannot be watched`)
      }
      const resources = [...new Set(names)] as import('@concurkit/contract').ResourceName[]
      const callback = opts.callback ? parseBaseUrl(opts.callback, '--callback') : undefined
      let key: string | undefined
      if (opts.signingKeyEnv) {
        if (!callback) throw usageError('--signing-key-env needs --callback')
        key = io.env[opts.signingKeyEnv]
        if (!key) throw usageError(`--signing-key-env: ${opts.signingKeyEnv} is not set or empty`)
        io.redactor.add(key)
      }
      if (opts.deadLetter && !callback) throw usageError('--dead-letter needs --callback')
      const since =
        opts.since === 'now' || opts.since === 'beginning' ? opts.since : (opts.since as string | undefined)
      const baseUrl = opts.baseUrl ? parseBaseUrl(opts.baseUrl, '--base-url') : undefined

      const { resolveTokenSource, configDir } = await import('../profiles.js')
      const clientLib = await import('@concurkit/client')
      const clientInternal = await import('@concurkit/client/internal')
      const duration = (value: string, flag: string, min: number): number => {
        let ms: number
        try {
          ms = clientInternal.parseDuration(value)
        } catch {
          throw usageError(`${flag}: "${value}" is not a duration (e.g. 500ms, 30s, 5m, 1h)`)
        }
        if (ms < min) throw usageError(`${flag} must be at least ${min} ms`)
        return ms
      }
      const interval = duration(opts.interval, '--interval', 100)
      const retryDelay = duration(opts.retryDelay, '--retry-delay', 0)
      const timeout = duration(opts.timeout, '--timeout', 1)
      if (since !== 'now' && since !== 'beginning') {
        try {
          clientInternal.resolveDate(since ?? '')
        } catch {
          throw usageError(`--since: "${since}" is not now, beginning, a date or Nd`)
        }
      }
      const source = await resolveTokenSource(io, { profile: opts.profile, ...(baseUrl ? { baseUrl } : {}) })
      const client = clientLib.createConcurClient({
        auth: source.manager,
        ...(baseUrl ? { baseUrl } : source.geolocation ? { baseUrl: source.geolocation } : {}),
      })
      const stateDir = opts.stateDir ?? join(configDir(io), 'watch')
      const cursorStore = clientLib.fileCursorStore(join(stateDir, 'cursors.json'))
      const controller = new AbortController()
      const stop = () => {
        if (!controller.signal.aborted) debug(io, 'stopping after the delivery in flight')
        controller.abort()
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      const target = callback ? new URL(callback).origin : 'stdout'
      note(
        io,
        `watching ${resources.join(', ')} every ${interval / 1000} s → ${target}${callback && !key ? ' (unsigned: no --signing-key-env)' : ''}`,
      )
      try {
        const runs = resources.map(async (resource) => {
          const events = clientLib.watch(client, resource, {
            interval,
            cursorStore,
            signal: controller.signal,
            dropNulls: !opts.keepNulls,
            ...(opts.user ? { filter: { user: opts.user } } : {}),
            ...(since ? { since } : {}),
            ...(opts.once ? { once: true } : {}),
            ...(opts.once
              ? {}
              : {
                  onPollError: (err: unknown) =>
                    note(
                      io,
                      `poll of ${resource} failed: ${err instanceof Error ? err.message : String(err)}; next try in ${interval / 1000} s`,
                    ),
                }),
            onPoll: ({ changes }) => debug(io, `${resource}: ${changes} change(s)`),
          })
          const common = {
            attempts: opts.attempts,
            minDelay: retryDelay,
            maxDelay: Math.max(retryDelay, 60_000),
            signal: controller.signal,
            onAttempt: (a: import('@concurkit/client').DeliveryAttempt) => {
              if (a.ok) debug(io, `delivered ${a.eventId} (attempt ${a.attempt})`)
              else
                note(
                  io,
                  `delivery of ${a.eventId} failed (attempt ${a.attempt}/${opts.attempts}): ${a.error}${a.retryIn === undefined ? '' : `; retrying in ${(a.retryIn / 1000).toFixed(1)} s`}`,
                )
            },
          }
          if (callback) {
            return clientLib.deliverWebhooks(events, {
              ...common,
              url: callback,
              timeout,
              ...(key ? { key } : {}),
              ...(opts.deadLetter ? { deadLetter: opts.deadLetter } : {}),
            })
          }
          return clientLib.deliverEvents(events, {
            ...common,
            attempts: 1,
            deliver: (event) =>
              new Promise<void>((resolve, reject) => {
                io.stdout.write(`${JSON.stringify(event)}\n`, (err) => (err ? reject(err) : resolve()))
              }),
          })
        })
        // One resource failing stops the others (after their delivery in flight).
        const settled = await Promise.allSettled(
          runs.map((r) =>
            r.catch((err: unknown) => {
              controller.abort()
              throw err
            }),
          ),
        )
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
        if (failed) {
          controller.abort()
          const err = failed.reason as { code?: string; message?: string }
          if (err?.code === 'WEBHOOK_DELIVERY_FAILED')
            throw new CliError(
              `${err.message ?? 'delivery failed'} — not acknowledged; the next run delivers it again (or use --dead-letter)`,
              EXIT.NETWORK,
              { cause: failed.reason },
            )
          throw failed.reason
        }
        const results = settled.map(
          (s) => (s as PromiseFulfilledResult<import('@concurkit/client').DeliveryResult>).value,
        )
        const delivered = results.reduce((a, r) => a + r.delivered, 0)
        const dead = results.reduce((a, r) => a + r.deadLettered, 0)
        note(
          io,
          `${controller.signal.aborted ? 'stopped: ' : ''}delivered ${delivered} event(s)${dead ? `, ${dead} to ${opts.deadLetter}` : ''}`,
        )
      } finally {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        await client.close().catch(() => {})
      }
    })
}
