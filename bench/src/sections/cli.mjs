// 5. CLI: `concurkit --help` cold start (median of N fresh processes, beside a bare `node -e 0`) and
// the wall time of the full offline `concurkit conformance`.
import { join } from 'node:path'
import { median, ROOT, runCommand } from '../lib.mjs'

const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js')

export async function cli({ quick, log }) {
  const n = quick ? 5 : 21
  const help = []
  const bare = []
  for (let i = 0; i < n; i++) {
    const r = await runCommand(process.execPath, [BIN, '--help'])
    if (r.code !== 0) throw new Error(`concurkit --help exited ${r.code}`)
    help.push(r.ms)
    bare.push((await runCommand(process.execPath, ['-e', '0'])).ms)
  }
  log(`  --help median ${median(help).toFixed(0)} ms (node -e 0: ${median(bare).toFixed(0)} ms)`)
  const runs = quick ? 1 : 3
  const conformance = []
  let summary
  for (let i = 0; i < runs; i++) {
    const r = await runCommand(process.execPath, [BIN, 'conformance', '--json'], { timeoutMs: 300_000 })
    conformance.push(r.ms)
    try {
      summary = JSON.parse(r.stdout).summary
    } catch {
      summary = { error: `exit ${r.code}: ${r.stderr.trim().split('\n').pop()}` }
    }
  }
  log(
    `  conformance ${(median(conformance) / 1000).toFixed(2)} s (${summary.passed ?? '?'} passed, ${summary.failed ?? '?'} failed)`,
  )
  return {
    runs: n,
    helpMs: median(help),
    nodeBaselineMs: median(bare),
    conformanceRuns: runs,
    conformanceMs: median(conformance),
    conformanceSummary: summary,
    help_ms: median(help),
    conformance_s: median(conformance) / 1000,
  }
}
