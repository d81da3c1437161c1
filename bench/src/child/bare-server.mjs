// The ceiling: a bare node:http server answering the captured bytes of one mock response to every request.
// `node bare-server.mjs <capture.json>` where the capture is {status, headers, bodyBase64}.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const capture = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const body = Buffer.from(capture.bodyBase64, 'base64')
const headers = Object.entries(capture.headers).filter(
  ([k]) => !['connection', 'keep-alive', 'transfer-encoding', 'date'].includes(k),
)
headers.push(['content-length', String(body.length)])
const flat = headers.filter(([k], i, all) => all.findIndex(([k2]) => k2 === k) === i)
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(capture.status, flat.flat())
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', url: `http://127.0.0.1:${server.address().port}`, pid: process.pid })
})
process.on('disconnect', () => process.exit(0))
