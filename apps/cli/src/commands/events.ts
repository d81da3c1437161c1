import { readFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Command, Option } from 'commander'
import { parseBaseUrl, requireFields, resolveCredentials } from '../credentials.js'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, debug, note } from '../io.js'
import { intOption } from './conformance.js'

interface ManagementOptions {
  baseUrl?: string
  clientId?: string
  json?: boolean
}

interface ListenOptions {
  port: number
  host: string
  tlsCert?: string
  tlsKey?: string
  clientCa?: string
  publicKey: string[]
  callback?: string
  signingKeyEnv?: string
  timeout: string
}

const CREDENTIALS_HELP = `
Credentials: CONCUR_CLIENT_ID (or --client-id) and CONCUR_CLIENT_SECRET of the app; the calls use an
App JWT (client_credentials) that must hold events.topic.read plus each topic's scope. Subscriptions are
per datacenter: --base-url or CONCUR_BASE_URL names it (default: the US datacenter).`

async function readPem(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw usageError(`${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}

/** An App JWT for the management API, and the base URL to call. */
async function appSession(io: CliIo, opts: ManagementOptions) {
  const creds = await resolveCredentials(io, opts.clientId ? { clientId: opts.clientId } : {})
  requireFields(creds, ['clientId', 'clientSecret'], 'the app of the subscriptions')
  const baseUrl = opts.baseUrl
    ? parseBaseUrl(opts.baseUrl, '--base-url')
    : creds.baseUrl
      ? parseBaseUrl(creds.baseUrl, 'CONCUR_BASE_URL')
      : undefined
  const auth = await import('@concurkit/auth')
  const client = await import('@concurkit/client')
  const tokens = await auth.clientCredentialsGrant({
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    ...(baseUrl ? { baseUrl } : {}),
  })
  const token = tokens.accessToken.reveal()
  io.redactor.add(token)
  return {
    client,
    call: { baseUrl: baseUrl ?? tokens.geolocation, auth: client.staticToken(token) },
  }
}

/** One event as the async iterable `deliverWebhooks` reads. */
async function* one<T>(value: T): AsyncGenerator<T> {
  yield value
}

const managementOptions = (cmd: Command) =>
  cmd
    .option('--base-url <url>', "the datacenter's base URL (default CONCUR_BASE_URL, else the US datacenter)")
    .option('--client-id <id>', 'the app (default CONCUR_CLIENT_ID)')

/**
 * Registers `concurkit events topics | subscribe | list | unsubscribe | listen`: the Event
 * Subscription Service's management API, and a local receiver that verifies each delivery and
 * prints it as NDJSON (the change-event shape of `concurkit watch`) or forwards it.
 *
 * @example
 * registerEventsCommand(program, io) // concurkit events listen --port 8443 --tls-cert c.pem --tls-key k.pem --public-key ess.pem
 */
export function registerEventsCommand(program: Command, io: CliIo): void {
  const events = program
    .command('events')
    .description("Concur's Event Subscription Service: topics, subscriptions and a verifying receiver.")
    .addHelpText(
      'after',
      `
Examples:
  $ concurkit events topics
  $ concurkit events subscribe --id my-reports --topic public.concur.expense.report --endpoint https://hooks.example.com/concur
  $ concurkit events list --json
  $ concurkit events unsubscribe my-reports
  $ concurkit events listen --port 8443 --tls-cert cert.pem --tls-key key.pem --public-key concur-ess.pem > events.ndjson
${CREDENTIALS_HELP}`,
    )

  managementOptions(events.command('topics').description('List the topics the app may subscribe to.'))
    .option('--json', 'one JSON array')
    .action(async (opts: ManagementOptions) => {
      const { client, call } = await appSession(io, opts)
      const topics = await client.listTopics(call)
      io.stdout.write(opts.json ? `${JSON.stringify(topics)}\n` : topics.map((t) => `${t}\n`).join(''))
      if (!opts.json && topics.length === 0)
        note(io, 'no topics: the app needs events.topic.read and a topic scope')
    })

  managementOptions(
    events
      .command('subscribe')
      .description('Create (or update, by id) a webhook subscription.')
      .requiredOption('--id <id>', 'subscription id: lowercase letters, numbers, "." and "-"')
      .requiredOption('--topic <topic>', 'e.g. public.concur.expense.report')
      .requiredOption('--endpoint <url>', 'the HTTPS URL Concur POSTs each event to')
      .option('--filter <regex>', 'regular expression on eventType', '.*'),
  ).action(
    async (opts: ManagementOptions & { id: string; topic: string; endpoint: string; filter: string }) => {
      const contract = await import('@concurkit/contract')
      const body = {
        id: opts.id,
        topic: opts.topic,
        filter: opts.filter,
        webHookConfig: { endpoint: opts.endpoint },
      }
      const parsed = contract.SubscriptionPut.safeParse(body)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw usageError(
          `${issue?.path.join('.') === 'webHookConfig.endpoint' ? '--endpoint: not an http(s) URL' : `--${String(issue?.path[0] ?? 'id')}: ${issue?.message ?? 'invalid'}`}`,
        )
      }
      try {
        new RegExp(opts.filter)
      } catch {
        throw usageError(`--filter: "${opts.filter}" is not a regular expression`)
      }
      const { client, call } = await appSession(io, opts)
      const out = await client.subscribe(parsed.data, call)
      io.stdout.write(`${out.message}\n`)
    },
  )

  managementOptions(events.command('list').description("List the app's subscriptions in the datacenter."))
    .option('--json', 'one JSON array')
    .action(async (opts: ManagementOptions) => {
      const { client, call } = await appSession(io, opts)
      const subs = await client.listSubscriptions(call)
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(subs)}\n`)
        return
      }
      for (const s of subs) io.stdout.write(`${s.id}\t${s.topic}\t${s.filter}\t${s.webHookConfig.endpoint}\n`)
      if (subs.length === 0) note(io, 'no subscriptions')
    })

  managementOptions(
    events.command('unsubscribe').description('Delete a subscription.').argument('<id>', 'subscription id'),
  ).action(async (id: string, opts: ManagementOptions) => {
    const { client, call } = await appSession(io, opts)
    const out = await client.unsubscribe(id, call)
    io.stdout.write(`${out.message}\n`)
  })

  events
    .command('listen')
    .description(
      'Receive ESS deliveries: verify Concur-Signature, drop duplicates, print NDJSON change events or forward them.',
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0: a free one)')
        .argParser(intOption(0, 65535))
        .makeOptionMandatory(),
    )
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; Concur requires HTTPS)')
    .option('--tls-key <file>', 'its private key (PEM)')
    .option(
      '--client-ca <file>',
      "require a client certificate issued by this CA (mutual TLS, as Concur's sender)",
    )
    .option(
      '--public-key <file>',
      "the ESS signature public key (PEM): Concur's published key, or the mock's; repeat during a rotation",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--callback <url>',
      'forward each event here (JSON, the shape of `concurkit watch`); ack only once it answered 2xx',
    )
    .option(
      '--signing-key-env <name>',
      'environment variable holding the HMAC-SHA256 key that signs forwarded events',
    )
    .option('--timeout <duration>', 'time the --callback receiver has to answer', '10s')
    .addHelpText(
      'after',
      `
Each accepted event is printed as {"id","type","resource","objectId","objectUri","record","occurredAt"} (the
event id; "record" is the whole ESS envelope). A delivery with a bad signature gets 401, a malformed or
replayed one (older than Concur's 72 h retry window) 400, a duplicate event id 200 without a second line.
With --callback the event is forwarded first and the answer to Concur is 503 while the callback fails,
so Concur's retries cover the callback's outage. The first stderr line names the URL listened on.`,
    )
    .action(async (opts: ListenOptions) => {
      if (!opts.publicKey || opts.publicKey.length === 0)
        throw usageError('--public-key is required (the PEM that verifies Concur-Signature)')
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined))
        throw usageError('--tls-cert and --tls-key go together')
      if (opts.clientCa && !opts.tlsCert) throw usageError('--client-ca needs --tls-cert and --tls-key')
      const callback = opts.callback ? parseBaseUrl(opts.callback, '--callback') : undefined
      let key: string | undefined
      if (opts.signingKeyEnv) {
        if (!callback) throw usageError('--signing-key-env needs --callback')
        key = io.env[opts.signingKeyEnv]
        if (!key) throw usageError(`--signing-key-env: ${opts.signingKeyEnv} is not set or empty`)
        io.redactor.add(key)
      }
      const clientLib = await import('@concurkit/client')
      const clientInternal = await import('@concurkit/client/internal')
      let timeout: number
      try {
        timeout = clientInternal.parseDuration(opts.timeout)
      } catch {
        throw usageError(`--timeout: "${opts.timeout}" is not a duration (e.g. 500ms, 10s)`)
      }
      const keys = await Promise.all(opts.publicKey.map((f) => readPem('--public-key', f)))
      const tls = opts.tlsCert
        ? {
            cert: await readPem('--tls-cert', opts.tlsCert),
            key: await readPem('--tls-key', opts.tlsKey!),
            ...(opts.clientCa ? { ca: await readPem('--client-ca', opts.clientCa) } : {}),
          }
        : undefined
      const write = (line: string) =>
        new Promise<void>((resolve, reject) =>
          io.stdout.write(line, (err) => (err ? reject(err) : resolve())),
        )
      let receiver: import('@concurkit/client').EventReceiver
      try {
        receiver = clientLib.createEventReceiver({
          publicKey: keys,
          onRejected: (r) =>
            note(io, `refused a delivery (${r.status}): ${r.reason}${r.eventId ? ` [${r.eventId}]` : ''}`),
          async onEvent({ event }) {
            const change = clientLib.toChangeEvent(event)
            if (callback) {
              await clientLib.deliverWebhooks(one(change), {
                url: callback,
                attempts: 1,
                timeout,
                ...(key ? { key } : {}),
                headers: { 'user-agent': 'concurkit-events' },
              })
              debug(io, `forwarded ${event.id} ${event.eventType}`)
            } else {
              await write(`${JSON.stringify(change)}\n`)
            }
          },
        })
      } catch (err) {
        throw usageError(`--public-key: ${err instanceof Error ? err.message : String(err)}`)
      }
      let server: Server
      try {
        if (tls) {
          const https = await import('node:https')
          server = https.createServer(
            {
              cert: tls.cert,
              key: tls.key,
              ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
            },
            receiver.listener,
          )
        } else {
          const http = await import('node:http')
          server = http.createServer(receiver.listener)
        }
      } catch (err) {
        throw usageError(`--tls-cert/--tls-key: ${err instanceof Error ? err.message : String(err)}`)
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) =>
          reject(
            new CliError(
              `cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`,
              EXIT.NETWORK,
            ),
          ),
        )
        server.listen(opts.port, opts.host, resolve)
      })
      const { port } = server.address() as AddressInfo
      const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host
      note(
        io,
        `listening on ${tls ? 'https' : 'http'}://${shownHost}:${port} → ${callback ? new URL(callback).origin : 'stdout'}${tls?.ca ? ' (client certificate required)' : ''}`,
      )
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          server.close(() => resolve())
          server.closeAllConnections?.()
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
      receiver.close()
      note(
        io,
        `stopped: ${receiver.stats.accepted} event(s), ${receiver.stats.duplicates} duplicate(s), ${receiver.stats.rejected} refused`,
      )
    })
}
