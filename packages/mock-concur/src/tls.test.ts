import { webcrypto, X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockConcur, describeMock, type RunningMock } from './mock.js'
import { createMockTls, MockTlsError } from './tls.js'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

/** An RSA CA as a user would bring one (mkcert's root, a team's dev CA). */
async function userCa(options: { ca?: boolean } = {}) {
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  }
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a',
    name: 'CN=team dev CA',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  })
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)
  const key = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString('base64')}\n-----END PRIVATE KEY-----\n`
  return { cert: cert.toString('pem'), key }
}

async function json(
  agent: Agent,
  url: string,
  init: { method?: 'GET' | 'POST'; body?: string; token?: string } = {},
) {
  const res = await request(url, {
    dispatcher: agent,
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body ? { body: init.body } : {}),
  })
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> }
}

describe('listen({ tls: true })', () => {
  const mock = createMockConcur({ seed: 7, size: 30, datacenters: ['us', 'eu2'] })
  let running: RunningMock
  let trusted: Agent

  beforeAll(async () => {
    running = await mock.listen({ tls: true })
    trusted = new Agent({ connect: { ca: running.tls!.caPem } })
  })
  afterAll(async () => {
    await trusted.close()
    await running.close()
  })

  it('serves every datacenter on https and writes the CA certificate to a private temp dir', () => {
    expect(running.datacenters.us).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(running.datacenters.eu2).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const { ca, caPem } = running.tls!
    expect(readFileSync(ca, 'utf8')).toBe(caPem)
    expect(statSync(ca).mode & 0o777).toBe(0o644)
    expect(statSync(join(ca, '..')).mode & 0o777).toBe(0o700)
    const cert = new X509Certificate(caPem)
    expect(cert.ca).toBe(true)
    // What a caller can see holds no private key.
    expect(JSON.stringify(running)).not.toMatch(/PRIVATE KEY/)
    expect(JSON.stringify(describeMock(mock, running))).not.toMatch(/PRIVATE KEY/)
    expect(describeMock(mock, running).tls).toEqual({ ca })
  })

  it('presents a certificate for 127.0.0.1, ::1 and localhost signed by that CA', async () => {
    const { connect } = await import('node:tls')
    const port = Number(new URL(running.datacenters.us!).port)
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port, servername: 'localhost', ca: running.tls!.caPem },
        () => {
          const c = socket.getPeerX509Certificate()!
          socket.end()
          resolve(c)
        },
      )
      socket.once('error', reject)
    })
    expect(peer.checkIssued(new X509Certificate(running.tls!.caPem))).toBe(true)
    expect(peer.checkHost('localhost')).toBe('localhost')
    expect(peer.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(peer.checkIP('::1')).toBe('::1')
    expect(running.tls!.hosts).toEqual(['localhost', '127.0.0.1', '::1'])
  })

  it('refuses clients that do not trust the CA, and plain HTTP on the TLS port', async () => {
    const untrusting = new Agent()
    try {
      await expect(
        request(`${running.datacenters.us}/oauth2/v0/jwks`, { dispatcher: untrusting }),
      ).rejects.toThrow(/certificate/i)
    } finally {
      await untrusting.close()
    }
    const plain = running.datacenters.us!.replace('https:', 'http:')
    await expect(fetch(`${plain}/oauth2/v0/jwks`)).rejects.toThrow()
  })

  it('issues tokens whose geolocation, NextPage and receipt image URLs use https', async () => {
    const d = describeMock(mock, running).companies[0]!
    const base = running.datacenters[d.datacenter]!
    const token = await json(trusted, `${base}/oauth2/v0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: d.clientId,
        client_secret: d.clientSecret,
        username: d.users[0]!.loginId,
        password: d.users[0]!.password,
      }).toString(),
    })
    expect(token.status).toBe(200)
    expect(token.body.geolocation).toBe(base)
    const accessToken = String(token.body.access_token)

    const page = await json(trusted, `${base}/api/v3.0/expense/reports?user=ALL&limit=2`, {
      token: accessToken,
    })
    expect(page.status).toBe(200)
    expect(String(page.body.NextPage)).toMatch(new RegExp(`^${base}/api/v3\\.0/expense/reports\\?`))
    const next = await json(trusted, String(page.body.NextPage), { token: accessToken })
    expect(next.status).toBe(200)

    const images = await json(trusted, `${base}/api/v3.0/expense/receiptimages?user=ALL&limit=1`, {
      token: accessToken,
    })
    const first = (images.body.Items as { ID: string; URI: string }[])[0]!
    expect(first.URI.startsWith(`${base}/`)).toBe(true)
    const image = await json(trusted, first.URI, { token: accessToken })
    expect(image.status).toBe(200)
    expect(String(image.body.Url)).toMatch(new RegExp(`^${base}/imaging/v3/receipts/`))
    const bytes = await request(String(image.body.Url), { dispatcher: trusted })
    expect(bytes.statusCode).toBe(200)
    expect((await bytes.body.arrayBuffer()).byteLength).toBeGreaterThan(0)
  })

  it('exchanges the described company request token and rotates refresh tokens over TLS', async () => {
    const d = describeMock(mock, running).companies[0]!
    const base = running.datacenters[d.datacenter]!
    const form = (fields: Record<string, string>) =>
      new URLSearchParams({ client_id: d.clientId, client_secret: d.clientSecret, ...fields }).toString()
    const company = await json(trusted, `${base}/oauth2/v0/token`, {
      method: 'POST',
      body: form({ grant_type: 'password', credtype: 'authtoken', username: d.id, password: d.requestToken }),
    })
    expect(company.status).toBe(200)
    const first = String(company.body.refresh_token)
    const refreshed = await json(trusted, `${base}/oauth2/v0/token`, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', refresh_token: first }),
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.refresh_token).not.toBe(first)
    const stale = await json(trusted, `${base}/oauth2/v0/token`, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', refresh_token: first }),
    })
    expect(stale.status).toBe(400)
    expect(stale.body).toMatchObject({ code: 108, error: 'invalid_grant' })
  })

  it('serves the admin API and the console over TLS, the console naming the CA file', async () => {
    const companies = await json(trusted, `${running.admin}/_mock/companies`)
    expect(companies.status).toBe(200)
    const geos = (companies.body.companies as { geolocation: string }[]).map((c) => c.geolocation)
    expect(geos.every((g) => g.startsWith('https://'))).toBe(true)
    const page = await request(`${running.admin}/_mock/`, { dispatcher: trusted })
    expect(page.statusCode).toBe(200)
    const html = await page.body.text()
    expect(html).toContain(running.tls!.ca)
    expect(html).toContain(`--cacert ${running.tls!.ca}`)
  })

  it('removes the generated directory on close', async () => {
    const other = await createMockConcur().listen({ tls: true })
    const dir = join(other.tls!.ca, '..')
    expect(existsSync(dir)).toBe(true)
    await other.close()
    expect(existsSync(dir)).toBe(false)
  })
})

describe('listen({ tls: { ca, dir } }) with a CA the user gives', () => {
  it('signs the server certificate with it and keeps the chosen directory', async () => {
    const ca = await userCa()
    const dir = join(mkdtempSync(join(tmpdir(), 'concurkit-tls-test-')), 'certs')
    const running = await createMockConcur().listen({ tls: { ca, dir, hosts: ['concur.test'] } })
    const agent = new Agent({ connect: { ca: ca.cert } })
    try {
      expect(running.tls!.ca).toBe(join(dir, 'ca.pem'))
      expect(readFileSync(running.tls!.ca, 'utf8').trim()).toBe(ca.cert.replace(/\r\n/g, '\n').trim())
      expect(running.tls!.hosts).toContain('concur.test')
      const res = await request(`${running.admin}/oauth2/v0/jwks`, { dispatcher: agent })
      expect(res.statusCode).toBe(200)
      await res.body.dump()
    } finally {
      await agent.close()
      await running.close()
    }
    expect(existsSync(join(dir, 'ca.pem'))).toBe(true)
    rmSync(join(dir, '..'), { recursive: true, force: true })
  })

  it('rejects a key that is not the CA certificate’s, a certificate that is no CA and bad hosts', async () => {
    const [a, b, leaf] = await Promise.all([userCa(), userCa(), userCa({ ca: false })])
    await expect(createMockTls({ ca: { cert: a.cert, key: b.key } })).rejects.toThrow(
      new MockTlsError('the CA key does not belong to the CA certificate'),
    )
    await expect(createMockTls({ ca: leaf })).rejects.toThrow(/is not a CA/)
    await expect(createMockTls({ ca: { cert: 'nope', key: a.key } })).rejects.toThrow(/not a PEM X\.509/)
    await expect(createMockTls({ ca: { cert: a.cert, key: 'nope' } })).rejects.toThrow(
      /not a PEM private key/,
    )
    await expect(createMockTls({ hosts: ['bad host/'] })).rejects.toThrow(/not a host name/)
    await expect(createMockConcur().listen({ tls: { ca: { cert: a.cert, key: b.key } } })).rejects.toThrow(
      MockTlsError,
    )
  })
})
