// Preloaded (`node -r`) into a program measured as a whole (the built CLI): at exit, writes its peak
// RSS and CPU time as JSON to the file named by BENCH_RSS_FILE.
const { writeFileSync } = require('node:fs')

process.on('exit', () => {
  const u = process.resourceUsage()
  writeFileSync(
    process.env.BENCH_RSS_FILE,
    JSON.stringify({ maxRssMb: u.maxRSS / 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }),
  )
})
