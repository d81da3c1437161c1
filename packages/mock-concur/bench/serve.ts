/**
 * The mock alone in its own process, for load measurements: prints one JSON line
 * {url, token, clientId, clientSecret, username, password} once listening (the secrets are the
 * mock's seeded, published demo credentials). Size from argv (default 1,000,000 reports).
 * Run: node --conditions=@concurkit/source --import tsx bench/serve.ts 1000000
 */
import { createMockConcur } from '../src/mock.js'
import { issueToken } from '../src/resources/v3-testing.js'

const size = Number(process.argv[2] ?? 1_000_000)
const mock = createMockConcur({ seed: 42, size, companies: 1, datacenters: ['us'] })
const running = await mock.listen({ host: '127.0.0.1', port: 0 })
const c = mock.state.companies[0]!
const admin = c.users[0]!
process.stdout.write(
  `${JSON.stringify({
    url: running.datacenters.us,
    token: await issueToken(mock, { user: 0 }),
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: admin.loginId,
    password: admin.password,
  })}\n`,
)
const stop = async () => {
  await running.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
