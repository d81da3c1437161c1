// Page traffic from another process (as a load generator or another test suite would send it):
// `clients` connections, each asking the next path as soon as its answer is read, until told to
// stop or disconnected. Started by fair-turns.test.ts with fork(); reports failures over IPC.
process.once('message', ({ origin, token, paths, clients }) => {
  let next = 0
  let stop = false
  let failed = 0
  const loop = async () => {
    while (!stop) {
      const res = await fetch(`${origin}${paths[next++ % paths.length]}`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined)
      if (!res) break
      await res.arrayBuffer().catch(() => undefined)
      if (res.status !== 200) failed++
    }
  }
  const loops = Array.from({ length: clients }, loop)
  process.send({ type: 'started' })
  process.once('message', async () => {
    stop = true
    await Promise.all(loops)
    process.send({ type: 'stopped', failed }, () => process.exit(0))
  })
})
process.on('disconnect', () => process.exit(0))
