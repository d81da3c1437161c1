#!/usr/bin/env node
import { EXIT } from './errors.js'
import { main } from './main.js'

let settled = false
// A command that awaits work must keep the process alive (referenced timers, open sockets). Should
// a bug ever let the event loop empty while the command is still pending, say so in one line and
// exit with a documented code instead of Node's silent 13 ("unsettled top-level await").
process.on('beforeExit', () => {
  if (settled) return
  settled = true
  process.stderr.write('error: internal error: the command stopped with work still pending\n')
  process.exitCode = EXIT.NETWORK
})
// Commands with a graceful stop (extract, watch, mock) register their own SIGINT/SIGTERM handlers;
// any other command ends at once with the shell's code for the signal: 130 (SIGINT), 143 (SIGTERM).
for (const [signal, code] of [
  ['SIGINT', EXIT.SIGINT],
  ['SIGTERM', EXIT.SIGTERM],
] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return
    process.stderr.write(`error: interrupted (${signal})\n`)
    process.exit(code)
  })
}

process.exitCode = await main(process.argv)
settled = true
