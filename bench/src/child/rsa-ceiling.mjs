// The RSA ceiling of the token service, measured on this machine with nothing else running:
// RS256 (RSA-2048, SHA-256) signatures per second, (1) synchronously on one core and (2) with
// `crypto.sign` on libuv's thread pool, 16 in flight (as the mock signs), for `seconds` each;
// and ES256 on one core for comparison.
// A password grant with `openid` signs twice (access token, id_token), a refresh grant once.
// Run alone: node bench/src/child/rsa-ceiling.mjs [seconds]; the bench forks it and reads the result.
import { generateKeyPairSync, sign } from 'node:crypto'

const seconds = Number(process.argv[2] ?? 3)
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
// About the size of the mock's access-token signing input.
const data = Buffer.alloc(700, 'x')

let oneCore = 0
const t0 = performance.now()
while (performance.now() - t0 < seconds * 1000) {
  sign('sha256', data, privateKey)
  oneCore++
}
const oneCorePerS = oneCore / ((performance.now() - t0) / 1000)

let pooled = 0
const t1 = performance.now()
const until = t1 + seconds * 1000
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (performance.now() < until) {
      await new Promise((resolve, reject) =>
        sign('sha256', data, privateKey, (e, s) => (e ? reject(e) : resolve(s))),
      )
      pooled++
    }
  }),
)
const pooledPerS = pooled / ((performance.now() - t1) / 1000)

// For comparison: ES256 (P-256) on one core, the cheaper signature Concur does not use.
const { privateKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
let ec = 0
const t2 = performance.now()
while (performance.now() - t2 < (seconds * 1000) / 3) {
  sign('sha256', data, ecKey)
  ec++
}
const es256OneCorePerS = ec / ((performance.now() - t2) / 1000)

const result = { type: 'result', oneCorePerS, pooledPerS, es256OneCorePerS }
if (process.send) process.send(result, () => process.disconnect())
else
  process.stdout.write(
    `RS256 signatures/s: ${Math.round(oneCorePerS)} on one core, ${Math.round(pooledPerS)} on the thread pool (16 in flight) → at most ${Math.round(pooledPerS / 2)} password grants/s, ${Math.round(pooledPerS)} refresh grants/s with nothing else running; ES256: ${Math.round(es256OneCorePerS)} on one core\n`,
  )
