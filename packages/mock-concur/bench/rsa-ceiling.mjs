// The RSA ceiling of the token service: RS256 (RSA-2048, SHA-256) signatures per second with
// `crypto.sign` on libuv's thread pool (as the mock signs), 16 in flight, for 3 seconds.
// A password grant signs twice (access token, id_token), a refresh grant once.
// Run: node bench/rsa-ceiling.mjs
import { generateKeyPairSync, sign } from 'node:crypto'

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const data = Buffer.alloc(700, 'x')
let done = 0
const until = performance.now() + 3000
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (performance.now() < until) {
      await new Promise((resolve, reject) =>
        sign('sha256', data, privateKey, (e, s) => (e ? reject(e) : resolve(s))),
      )
      done++
    }
  }),
)
const perS = done / 3
process.stdout.write(
  `RS256 signatures/s: ${Math.round(perS)} → at most ${Math.round(perS / 2)} password grants/s, ${Math.round(perS)} refresh grants/s (nothing else running)\n`,
)
