import { describe, expect, it } from 'vitest'
import { fakeIo } from '../../test/fake-io.js'
import { main } from '../main.js'

/** The first line the command prints; waits up to 15 s (a loaded CI machine starts the mock slowly). */
async function firstLine(io: { out: () => string }): Promise<string> {
  const deadline = Date.now() + 15_000
  while (!io.out().includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  return io.out().split('\n')[0]!
}

describe('concurkit mock', () => {
  it('--json prints one line with URLs and credentials, serves tokens, and stops on SIGTERM', async () => {
    const io = fakeIo({ env: { MOCK_KEY: 'admin-key-1' } })
    const done = main(
      [
        'node',
        'concurkit',
        'mock',
        '--port',
        '0',
        '--json',
        '--datacenters',
        'us,eu2',
        '--admin-key-env',
        'MOCK_KEY',
      ],
      io,
    )
    const d = JSON.parse(await firstLine(io)) as {
      datacenters: Record<string, string>
      admin: string
      companies: {
        id: string
        datacenter: string
        clientId: string
        clientSecret: string
        users: { loginId: string; password: string; roles: string[] }[]
      }[]
    }
    expect(Object.keys(d.datacenters)).toEqual(['us', 'eu2'])
    const c = d.companies[0]!
    const res = await fetch(`${d.datacenters[c.datacenter]}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        grant_type: 'password',
        username: c.users[0]!.loginId,
        password: c.users[0]!.password,
      }),
    })
    expect(res.status).toBe(200)
    expect((await fetch(`${d.admin}/_mock/journal`)).status).toBe(401)
    expect(
      (await fetch(`${d.admin}/_mock/journal`, { headers: { 'x-mock-admin-key': 'admin-key-1' } })).status,
    ).toBe(200)
    process.emit('SIGTERM', 'SIGTERM')
    expect(await done).toBe(0)
    expect(io.out().trim().split('\n')).toHaveLength(1)
    await expect(fetch(`${d.admin}/oauth2/v0/jwks`)).rejects.toThrow()
  })

  it('rejects bad options with exit code 2', async () => {
    const io = fakeIo()
    expect(await main(['node', 'concurkit', 'mock', '--datacenters', 'mars'], io)).toBe(2)
    expect(io.err()).toContain('unknown datacenter "mars"')
    expect(await main(['node', 'concurkit', 'mock', '--port', 'abc'], fakeIo())).toBe(2)
    expect(await main(['node', 'concurkit', 'mock', '--admin-key-env', 'NOPE_NOT_SET'], fakeIo())).toBe(2)
  })
})
