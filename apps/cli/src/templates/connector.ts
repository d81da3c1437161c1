/**
 * The files of `concurkit callout init <dir>`: a small runnable connector project (plain ESM
 * JavaScript, so it runs on Node 20 without a build step), one handler per callout and a test
 * (`node --test`) that plays Concur against it. Kept as string constants so `tsc` emits them.
 */

/** File path (relative to the project) → content; `{{NAME}}` and `{{KIT_VERSION}}` are filled in. */
export const CONNECTOR_TEMPLATE: Readonly<Record<string, string>> = Object.freeze({
  'package.json': `{
  "name": "{{NAME}}",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "description": "SAP Concur application connector (Fetch Attendee, Fetch List, Event Notification, Launch External URL)",
  "scripts": {
    "start": "node src/server.js",
    "test": "node --test test/"
  },
  "dependencies": {
    "@concurkit/callout-kit": "^{{KIT_VERSION}}"
  },
  "engines": {
    "node": ">=20.19"
  }
}
`,
  '.gitignore': `node_modules
*.pem
`,
  'README.md': `# {{NAME}}

An SAP Concur application connector built with \`@concurkit/callout-kit\`.

\`\`\`sh
npm install
npm test                                   # plays Concur against the connector (HTTPS, self-signed)
CONNECTOR_USER=concur-connector CONNECTOR_PASSWORD='a-long-secret' \\
TLS_CERT=cert.pem TLS_KEY=key.pem PORT=8443 npm start
\`\`\`

Register it in Concur (Administration → Company → Web Services → Manage Application Connectors) with
the same user name and password (10 to 50 characters each), then run **Test Connection**.

- \`src/handlers/*.js\` — one handler per callout: replace the sample data with your system's.
- \`src/app.js\` — the connector (Basic auth, XML, error answers are handled by callout-kit).
- \`src/server.js\` — HTTPS server (TLS 1.2+). Without \`TLS_CERT\`/\`TLS_KEY\` it makes a self-signed
  certificate for development and writes it to \`dev-cert.pem\` so you can trust it
  (\`concurkit callout test --url https://127.0.0.1:8443 --user … --ca dev-cert.pem --password-stdin\`).
`,
  'src/handlers/fetch-attendee.js': `// @ts-check
/** Sample attendee directory: replace with a lookup in your system. */
const ATTENDEES = [
  { ExternalID: 'HCP-1001', FirstName: 'Chris', LastName: 'Miller', Title: 'CFO', Company: 'Len Dev', AttendeeTypeCode: 'BUSGUEST' },
  { ExternalID: 'HCP-1002', FirstName: 'Dana', LastName: 'Lopez', Title: 'MD', Company: 'City Clinic', AttendeeTypeCode: 'BUSGUEST' },
]

const matches = (/** @type {string} */ wanted, /** @type {string | undefined} */ actual) =>
  wanted === '' || (actual ?? '').toLowerCase().startsWith(wanted.toLowerCase())

/**
 * Fetch Attendee: return every attendee matching ALL supplied criteria (AND), at most MaximumNumberRecords.
 * @param {import('@concurkit/callout-kit').FetchAttendeeRequest} request
 */
export function fetchAttendee(request) {
  return ATTENDEES.filter(
    (a) =>
      matches(request.LastName, a.LastName) &&
      matches(request.FirstName, a.FirstName) &&
      matches(request.Company, a.Company) &&
      matches(request.ExternalID, a.ExternalID),
  ).slice(0, request.MaximumNumberRecords)
}
`,
  'src/handlers/fetch-list.js': `// @ts-check
/** Sample connected list (country → region → state → city): replace with your system's. */
const LIST = {
  '': [{ shortCode: 'US', text: 'United States' }, { shortCode: 'CA', text: 'Canada' }],
  'US-W-CA': [
    { shortCode: 'SF', text: 'San Francisco' },
    { shortCode: 'SD', text: 'San Diego' },
    { shortCode: 'SJ', text: 'San Jose' },
  ],
}

/** \`*\` = everything, \`West*\` = prefix, \`*text\` = suffix. */
function wildcard(/** @type {string} */ query, /** @type {string} */ value) {
  const q = query.toLowerCase()
  const v = value.toLowerCase()
  if (q === '' || q === '*') return true
  if (q.endsWith('*')) return v.startsWith(q.slice(0, -1))
  if (q.startsWith('*')) return v.endsWith(q.slice(1))
  return v === q
}

/**
 * Fetch List: items under the request's long-code whose text (or code) matches the query.
 * @param {import('@concurkit/callout-kit').FetchListRequest} request
 */
export function fetchList(request) {
  const items = /** @type {Record<string, {shortCode: string, text: string}[]>} */ (LIST)[request.longCode] ?? []
  return items
    .filter((i) => wildcard(request.query, request.searchBy === 'CODE' ? i.shortCode : i.text))
    .slice(0, request.numToReturn)
    .map((i) => ({
      code: request.longCode ? \`\${request.longCode}-\${i.shortCode}\` : i.shortCode,
      shortCode: i.shortCode,
      text: i.text,
      matchValue: i.text,
    }))
}
`,
  'src/handlers/notify.js': `// @ts-check
/** Received notifications (replace with a queue or a call into your system). */
export const received = []

/**
 * Event Notification: resolve to acknowledge (HTTP 200); throw and Concur keeps it FAILED.
 * @param {import('@concurkit/callout-kit').EventNotification} notification
 */
export async function notify(notification) {
  received.push(notification)
}
`,
  'src/handlers/launch-external-url.js': `// @ts-check
const escape = (/** @type {string} */ s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

/**
 * Launch External URL v4 (its HMAC-SHA256 signature already verified by callout-kit): return your
 * page. Concur decommissioned v1 on 2026-06-23 and launches v4 only; a v1 request is answered 410.
 * @param {import('@concurkit/callout-kit').LaunchExternalUrlRequest} launch
 */
export function launchExternalUrl(launch) {
  if (launch.version !== 'v4')
    return new Response('Launch External URL v1 is decommissioned: configure v4', { status: 410 })
  const { logged_in_user_id: user, item_url: item, source } = launch.query
  return \`<!doctype html><title>Connector</title><p>Hello \${escape(user)}: \${escape(source)} of \${escape(item)}.</p>\`
}
`,
  'src/app.js': `// @ts-check
import { createConnector } from '@concurkit/callout-kit'
import { fetchAttendee } from './handlers/fetch-attendee.js'
import { fetchList } from './handlers/fetch-list.js'
import { launchExternalUrl } from './handlers/launch-external-url.js'
import { notify } from './handlers/notify.js'

/**
 * The connector app. Credentials are the user name and password registered in Concur.
 * @param {{ user: string, password: string }} credentials
 * @param {(error: unknown) => void} [onError]
 */
export function buildConnector(credentials, onError) {
  return createConnector({
    credentials,
    handlers: { fetchAttendee, fetchList, notify, launchExternalUrl },
    ...(onError ? { onError } : {}),
  })
}
`,
  'src/server.js': `// @ts-check
import { writeFileSync } from 'node:fs'
import { createSelfSignedCertificate, serveConnector } from '@concurkit/callout-kit/node'
import { buildConnector } from './app.js'

const user = process.env.CONNECTOR_USER
const password = process.env.CONNECTOR_PASSWORD
if (!user || !password) {
  process.stderr.write('set CONNECTOR_USER and CONNECTOR_PASSWORD (10 to 50 characters each)\\n')
  process.exit(2)
}
const app = buildConnector({ user, password }, (error) => {
  process.stderr.write(\`handler error: \${error instanceof Error ? error.message : String(error)}\\n\`)
})
let tls
if (process.env.TLS_CERT && process.env.TLS_KEY) {
  tls = { certFile: process.env.TLS_CERT, keyFile: process.env.TLS_KEY }
} else {
  tls = await createSelfSignedCertificate()
  writeFileSync('dev-cert.pem', tls.cert)
  process.stderr.write('no TLS_CERT/TLS_KEY: serving a self-signed development certificate (dev-cert.pem)\\n')
}
const server = await serveConnector({
  app,
  tls,
  port: Number(process.env.PORT ?? 8443),
  hostname: process.env.HOST ?? '127.0.0.1',
})
process.stdout.write(\`connector listening on \${server.url}\\n\`)
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close())
`,
  'test/connector.test.js': `// @ts-check
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  basicAuthHeader,
  buildLaunchExternalUrl,
  sampleEventNotification,
  serializeEventNotification,
  testConnector,
} from '@concurkit/callout-kit'
import { createSelfSignedCertificate, serveConnector } from '@concurkit/callout-kit/node'
import { buildConnector } from '../src/app.js'
import { received } from '../src/handlers/notify.js'

const credentials = { user: 'concur-connector', password: 'a-long-test-password' }
/** @type {Awaited<ReturnType<typeof serveConnector>>} */
let server
/** @type {string} */
let ca

before(async () => {
  const tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] })
  ca = tls.cert
  server = await serveConnector({ app: buildConnector(credentials), tls, port: 0 })
})
after(() => server.close())

test('plays Concur against the connector: every check passes', async () => {
  const report = await testConnector({ url: server.url, ...credentials, ca })
  const problems = report.checks.filter((c) => c.status !== 'pass').map((c) => \`\${c.id}: \${c.message}\`)
  assert.deepEqual(problems, [])
  assert.equal(report.ok, true)
})

test('a notification reaches the handler', async () => {
  const res = await buildConnector(credentials).request('/concur/v1.0/notify', {
    method: 'POST',
    headers: { authorization: basicAuthHeader(credentials), 'content-type': 'application/xml' },
    body: serializeEventNotification(sampleEventNotification()),
  })
  assert.equal(res.status, 200)
  assert.equal(received.at(-1)?.ObjectType, 'EXPRPT')
})

test('a signed Launch External URL v4 opens the page; v1 (decommissioned) is refused', async () => {
  const app = buildConnector(credentials)
  const v4 = buildLaunchExternalUrl('https://connector.example/launchexternalurl/v4/form', 'v4', {
    company_domain: 'example.com',
    logged_in_user_id: 'cm@example.com',
    report_owner_user_id: 'cm@example.com',
    report_owner_employee_id: 'EMP-1',
    item_url: 'https://us.api.concursolutions.com/expensereports/v4/reports/KEY',
    source: 'HEADER',
  }, credentials)
  const page = await app.request(v4.slice('https://connector.example'.length))
  assert.equal(page.status, 200)
  assert.match(await page.text(), /Hello cm@example.com: HEADER/)
  const v1 = buildLaunchExternalUrl('https://connector.example/concur/form/v1.0/get', 'v1', {
    xcompanydomain: 'example.com',
    xuserid: 'cm@example.com',
    itemurl: 'https://www.concursolutions.com/api/expense/expensereport/v1.1/report/KEY',
  }, credentials)
  assert.equal((await app.request(v1.slice('https://connector.example'.length))).status, 410)
})

test('a wrong password is refused', async () => {
  const res = await buildConnector(credentials).request('/system/v1.0/testconnection', {
    headers: { authorization: basicAuthHeader({ ...credentials, password: 'not-the-password' }) },
  })
  assert.equal(res.status, 401)
})
`,
})
