#!/usr/bin/env node
// `pnpm bench` (full) / `pnpm bench --quick` (under a minute on an idle 2-core machine).
// Runs the five comparisons, prints a summary, writes docs/benchmarks.md and docs/benchmarks.svg
// (the full run always; the quick run only with --write) and prints, as its last line, one JSON
// object with the headline figures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { machine, ROOT, round } from './lib.mjs'
import { renderMarkdown, renderSvg } from './report.mjs'
import { cli } from './sections/cli.mjs'
import { extractBench } from './sections/extract.mjs'
import { fanoutBench } from './sections/fanout.mjs'
import { generationBench } from './sections/generation.mjs'
import { loadBench } from './sections/load.mjs'
import { scale } from './sections/scale.mjs'
import { tablesBench } from './sections/tables.mjs'
import { throughput } from './sections/throughput.mjs'
import { tokens } from './sections/tokens.mjs'

const SECTIONS = {
  throughput,
  scale,
  extract: extractBench,
  tokens,
  cli,
  tables: tablesBench,
  generation: generationBench,
  fanout: fanoutBench,
  load: loadBench,
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    write: { type: 'boolean' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  process.stdout.write(`usage: pnpm bench [--quick] [--write] [--only throughput,scale,extract,tokens,cli,tables,generation,fanout,load]
  --quick   fewer requests and records (under a minute on an idle machine); docs written only with --write
  --only    run some sections (the JSON keys of the others are null)
`)
  process.exit(0)
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS)
for (const name of only) {
  if (!(name in SECTIONS)) {
    process.stderr.write(`unknown section "${name}" (known: ${Object.keys(SECTIONS).join(', ')})\n`)
    process.exit(2)
  }
}
const quick = values.quick
const write = values.write ?? (!quick && only.length === Object.keys(SECTIONS).length)
const log = (line) => process.stderr.write(`${line}\n`)
const tmp = mkdtempSync(join(tmpdir(), 'concurkit-bench-'))
const command = `pnpm bench${quick ? ' --quick' : ''}${values.only ? ` --only ${values.only}` : ''}`
const started = Date.now()
const run = { command, quick, machine: machine(), startedAt: new Date().toISOString(), sections: {} }
log(
  `concurkit bench (${quick ? 'quick' : 'full'}) on ${run.machine.cores}× ${run.machine.cpu}, Node ${run.machine.node}, load ${run.machine.loadavg.join(' ')}`,
)
let failed = false
try {
  for (const name of only) {
    log(`${name}:`)
    const t0 = Date.now()
    const loadBefore = machine().loadavg
    try {
      const result = await SECTIONS[name]({ quick, tmp, log })
      run.sections[name] = {
        ...result,
        wallSeconds: (Date.now() - t0) / 1000,
        loadBefore,
        loadAfter: machine().loadavg,
      }
    } catch (err) {
      failed = true
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : ''
      run.sections[name] = {
        error: `${err instanceof Error ? err.message : String(err)}${cause}`,
        loadBefore,
      }
      log(`  failed: ${run.sections[name].error}`)
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
run.seconds = (Date.now() - started) / 1000
const s = run.sections
const pick = (section, key, digits = 3) => round(s[section]?.[key] ?? Number.NaN, digits)
const summary = {
  mock_vs_bare: pick('throughput', 'mock_vs_bare', 4),
  mock_vs_prism: pick('throughput', 'mock_vs_prism'),
  last_vs_first_page: pick('scale', 'last_vs_first_page'),
  rss_growth_mb: pick('scale', 'rss_growth_mb', 1),
  extract_vs_undici: pick('extract', 'extract_vs_undici'),
  extract_vs_naive: pick('extract', 'extract_vs_naive'),
  extract_latency_vs_undici: pick('extract', 'extract_latency_vs_undici'),
  extract_peak_rss_mb: pick('extract', 'extract_peak_rss_mb', 1),
  token_grants_per_s: pick('tokens', 'token_grants_per_s', 0),
  help_ms: pick('cli', 'help_ms', 0),
  conformance_s: pick('cli', 'conformance_s', 2),
  // Lowest family of records/s generated ÷ records/s serialised alone (distinct pages, in-process).
  generation_vs_stringify: pick('generation', 'generation_vs_stringify'),
  // Distinct pages over the socket (10 connections, 1M reports, limit=100), req/s.
  distinct_pages_per_s: pick('throughput', 'distinct_pages_per_s', 1),
  // p99 of resource pages (worst page kind) in the 256-connection mixed-traffic run.
  load_p99_ms: pick('load', 'load_p99_ms', 1),
  // Lower of password and refresh grants as a share of the RS256 signing ceiling.
  grants_vs_signing: pick('tokens', 'grants_vs_signing'),
  // Partitioned extract (concurrency 16, +50 ms per page) ÷ the sequential undici loop.
  fanout_vs_sequential: pick('extract', 'fanout_vs_sequential'),
}
run.summary = summary
if (write) {
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderMarkdown(run))
  writeFileSync(join(ROOT, 'docs', 'benchmarks.svg'), renderSvg(run))
  log('wrote docs/benchmarks.md and docs/benchmarks.svg')
}
log(`done in ${run.seconds.toFixed(1)} s`)
process.stdout.write(`${JSON.stringify(summary)}\n`)
process.exitCode = failed ? 1 : 0
