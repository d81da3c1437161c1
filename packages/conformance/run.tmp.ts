import { runConformance } from '@concurkit/conformance'
const only = process.argv.slice(2)
const t0 = Date.now()
const r = await runConformance({ ...(only.length ? { only } : {}) })
for (const c of r.checks) if (c.status !== 'pass') console.log(c.status, c.id, c.reason)
console.log(r.summary.passed, r.summary.failed, r.summary.warned, r.summary.skipped, Date.now() - t0, 'ms')
