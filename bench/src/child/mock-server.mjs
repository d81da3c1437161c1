// The mock under test, alone in its own process: `node --expose-gc mock-server.mjs <size>`.
// Sends {url, company, seed, credentials} to the parent over IPC once listening; answers
// {type: 'rss'} with the resident set after a full GC.
import { createMockConcur } from '@concurkit/mock-concur'

const size = Number(process.argv[2] ?? 1_000_000)
const seed = 42
const gc = globalThis.gc ?? (() => {})
const mock = createMockConcur({ seed, size, companies: 1, datacenters: ['us'] })
// Render workers (`listen({ workers })`, `concurkit mock --workers`): the third argument, 0 by default.
const workers = Number(process.argv[3] ?? 0)
const running = await mock.listen({ host: '127.0.0.1', port: 0, workers })
if (workers > 0) await mock.state.pageRenderer?.ready?.()
const c = mock.state.companies[0]
const app = c.apps[0]
const admin = c.users[0]
gc()
process.send({
  type: 'ready',
  url: running.datacenters.us,
  pid: process.pid,
  seed,
  size,
  company: c.id,
  userCount: c.userCount,
  clientId: app.clientId,
  clientSecret: app.clientSecret,
  username: admin.loginId,
  password: admin.password,
  rssMb: process.memoryUsage().rss / 2 ** 20,
})
process.on('message', async (m) => {
  if (m?.type === 'rss') {
    gc()
    gc()
    process.send({
      type: 'rss',
      rssMb: process.memoryUsage().rss / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    })
  } else if (m?.type === 'stop') {
    await running.close()
    process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))
// A normal exit on SIGTERM (so `--cpu-prof`, set by BENCH_PROF, writes its profile).
process.on('SIGTERM', () => process.exit(0))
