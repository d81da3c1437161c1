import { createHttp, createTokenManager, memoryStore, passwordGrant } from '@concurkit/auth'
import { RESOURCES } from '@concurkit/contract'
import { createMockConcur } from '@concurkit/mock-concur'
import { createConcurClient } from './src/index.ts'

const mock = createMockConcur({ seed: 7, size: 20, companies: 1 })
const running = await mock.listen()
const co = mock.state.companies[0]!
const app = co.apps[0]!
const admin = co.users[0]!
const base = mock.state.baseUrl(co.datacenter)
const http = createHttp()
const tokens = await passwordGrant({
  clientId: app.clientId,
  clientSecret: app.clientSecret,
  username: admin.loginId,
  password: admin.password,
  baseUrl: base,
  http,
})
const manager = createTokenManager({
  clientId: app.clientId,
  clientSecret: app.clientSecret,
  store: memoryStore(),
  profile: 'p',
  baseUrl: base,
  http,
})
await manager.save(tokens, { grant: 'password', username: admin.loginId })
const client = createConcurClient({
  auth: manager,
  http,
  retry: { minTimeout: 1, maxTimeout: 5, maxRetries: 2 },
})
for (const r of RESOURCES) {
  try {
    let n = 0
    for await (const _ of client.resource(r.name).list({}, {})) n++
    console.log('OK', r.name, n)
  } catch (e) {
    console.log('ERR', r.name, (e as Error).message.slice(0, 200))
  }
}
const m = await fetch(`${running.admin}/_mock/manifest?company=${co.id}`).catch((e) => e)
console.log('manifest', m.status ?? m, m.status ? (await m.text()).slice(0, 600) : '')
console.log(running)
await client.close()
await http.close()
await running.close()
