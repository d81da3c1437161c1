import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { AUTH_ERROR_CODES, type Http, verifyIdToken } from '@concurkit/auth'
import { ConcurRequestError, createConcurClient, staticToken } from '@concurkit/client'
import { OAuthErrorBody, WebServiceError } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHttp, recordFigures } from './helpers.ts'

const mock = createMockConcur({ seed: 99, companies: 2, size: 20, datacenters: ['us', 'eu2'] })
const a = mock.state.companies[0]! // us
const b = mock.state.companies[1]! // eu2
let running: RunningMock
let http: Http
const REPORTS = '/api/v3.0/expense/reports?user=ALL&limit=100'
const figures = { forgeriesRefused: 0, idTokenForgeriesRefused: 0 }

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const parts = (jwt: string) => {
  const [h, p, s] = jwt.split('.')
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>,
    signature: s!,
  }
}
const rs256 = (header: object, payload: object, key: KeyObject) => {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
}
const hs256 = (header: object, payload: object, secret: string | Buffer) => {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

async function grant(company: typeof a, form: Record<string, string>) {
  const res = await fetch(`${running.datacenters[company.datacenter]}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: company.apps[0]!.clientId,
      client_secret: company.apps[0]!.clientSecret,
      ...form,
    }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const passwordGrant = (company: typeof a, userIndex = 0) =>
  grant(company, {
    grant_type: 'password',
    username: mock.state.user(company, userIndex)!.loginId,
    password: mock.state.user(company, userIndex)!.password,
  })

async function call(company: typeof a, path: string, token: string | undefined, dc = company.datacenter) {
  const res = await fetch(`${running.datacenters[dc]}${path}`, {
    headers: {
      accept: 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
  })
  return { status: res.status, text: await res.text() }
}

/** A resource call refused as Concur refuses: 401 without a token, else 403; the v3.0 error body. */
async function expectRefused(token: string | undefined, what: string, dc: 'us' | 'eu2' = 'us') {
  const res = await call(a, REPORTS, token, dc)
  expect({ what, status: res.status }).toEqual({ what, status: token === undefined ? 401 : 403 })
  expect(WebServiceError.safeParse(JSON.parse(res.text)).success).toBe(true)
  expect(res.text).not.toMatch(/"ID"|ReportName|"Total"/)
  figures.forgeriesRefused++
}

let real: { access: string; refresh: string; idToken: string }
let publicKey: KeyObject

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  http = newHttp()
  const g = await passwordGrant(a)
  expect(g.status).toBe(200)
  real = {
    access: String(g.body.access_token),
    refresh: String(g.body.refresh_token),
    idToken: String(g.body.id_token),
  }
  const jwks = (await (await fetch(`${running.datacenters.us}/oauth2/v0/jwks`)).json()) as {
    keys: Record<string, unknown>[]
  }
  publicKey = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' })
})
afterAll(async () => {
  await http?.close()
  await running?.close()
  await recordFigures('token-security', figures)
})

describe('forged and misused access tokens are refused by the resource APIs', () => {
  it('the genuine token reads the company (control)', async () => {
    const res = await call(a, REPORTS, real.access)
    expect(res.status).toBe(200)
  })

  it('no token → 401; garbage → 403', async () => {
    await expectRefused(undefined, 'no token')
    await expectRefused('x', 'garbage')
    await expectRefused('a.b.c', 'three garbage parts')
  })

  it('alg: none (with and without the signature part)', async () => {
    const { header, payload } = parts(real.access)
    const none = `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`
    await expectRefused(none, 'alg none')
    await expectRefused(none.slice(0, -1), 'alg none, two parts')
    await expectRefused(`${b64({ ...header, alg: 'NONE' })}.${b64(payload)}.`, 'alg NONE')
    // the genuine signature kept, header switched to none
    await expectRefused(
      `${b64({ ...header, alg: 'none' })}.${b64(payload)}.${parts(real.access).signature}`,
      'none+sig',
    )
  })

  it('algorithm confusion: HS256 signed with the public key (PEM, DER and JWK text) as the secret', async () => {
    const { header, payload } = parts(real.access)
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const der = publicKey.export({ type: 'spki', format: 'der' })
    for (const secret of [pem, pkcs1, der, JSON.stringify(publicKey.export({ format: 'jwk' }))])
      await expectRefused(hs256({ ...header, alg: 'HS256' }, payload, secret), 'HS256 confusion')
  })

  it('a wrong key (same kid), a tampered payload, another mock instance’s key id', async () => {
    const { header, payload, signature } = parts(real.access)
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    await expectRefused(rs256(header, payload, privateKey), 'wrong key')
    // another user index (the approver), the company type, another company — signature kept
    for (const change of [
      { 'concur.user': 1 },
      { 'concur.type': 'company' },
      { 'concur.company': b.id },
      { exp: Number(payload.exp) + 86_400 },
      { 'https://api.concursolutions.com/scopes': ['*'] },
    ])
      await expectRefused(
        `${b64(header)}.${b64({ ...payload, ...change })}.${signature}`,
        JSON.stringify(change),
      )
    // a token minted by another mock (same process key, different kid) is foreign here
    const other = createMockConcur({ seed: 99, companies: 2, datacenters: ['us', 'eu2'] })
    const foreign = await other.state.tokens.issueAccessToken({
      type: 'user',
      companyId: a.id,
      userIndex: 0,
      subject: a.users[0]!.id,
      clientId: a.apps[0]!.clientId,
      scopes: [...a.apps[0]!.scopes],
      issuer: String(payload.iss),
    })
    await expectRefused(foreign.token, 'foreign kid')
  })

  it('expired (the mock clock passes the hour) and not yet valid (issued in the future)', async () => {
    const g = await passwordGrant(a)
    const token = String(g.body.access_token)
    expect((await call(a, REPORTS, token)).status).toBe(200)
    mock.state.clock.advance(3_601)
    await expectRefused(token, 'expired')
    // issued two hours ahead, then the clock goes back (reset): nbf lies in the future
    mock.state.clock.advance(7_200)
    const future = String((await passwordGrant(a)).body.access_token)
    const reset = await fetch(`${running.admin}/_mock/reset`, { method: 'POST' })
    expect(reset.status).toBe(200)
    expect(parts(future).payload.nbf).toBeGreaterThan(mock.state.clock.nowSeconds() + 60)
    await expectRefused(future, 'not yet valid')
  })

  it('a token of another datacenter is refused (with its geolocation named), and a revoked one', async () => {
    const gb = await passwordGrant(b)
    expect(gb.status).toBe(200)
    await expectRefused(String(gb.body.access_token), 'eu2 token at us', 'us')
    const ga = await passwordGrant(a)
    const token = String(ga.body.access_token)
    const revoke = await fetch(`${running.datacenters.us}/app-mgmt/v0/connections`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(revoke.status).toBe(200)
    await expectRefused(token, 'revoked')
  })

  it("one company's token never reads another company's data, even with user=ALL", async () => {
    // Two companies in one datacenter (companies are spread round robin: 0 → us, 1 → eu2, 2 → us).
    const three = createMockConcur({ seed: 99, companies: 3, size: 20, datacenters: ['us', 'eu2'] })
    const c0 = three.state.companies[0]!
    const c2 = three.state.companies[2]!
    expect(c2.datacenter).toBe(c0.datacenter)
    const issue = (c: typeof c0) =>
      three.state.tokens.issueAccessToken({
        type: 'user',
        companyId: c.id,
        userIndex: 0,
        subject: c.users[0]!.id,
        clientId: c.apps[0]!.clientId,
        scopes: [...c.apps[0]!.scopes],
        issuer: three.state.baseUrl(c.datacenter),
      })
    const read = async (token: string, path: string) => {
      const res = await three.fetch(`${three.state.baseUrl('us')}${path}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      })
      return { status: res.status, json: (await res.json()) as { Items?: { ID: string }[] } }
    }
    const t0 = (await issue(c0)).token
    const t2 = (await issue(c2)).token
    const ids0 = new Set((await read(t0, REPORTS)).json.Items?.map((r) => r.ID))
    const got2 = await read(t2, REPORTS)
    expect(got2.status).toBe(200)
    expect(ids0.size).toBeGreaterThan(0)
    expect(got2.json.Items?.length).toBeGreaterThan(0)
    for (const r of got2.json.Items ?? []) expect(ids0.has(r.ID)).toBe(false)
    // company 0's report by id, company 0's login as user: not found / refused for company 2
    const someId = [...ids0][0]!
    for (const path of [
      `/api/v3.0/expense/reports/${someId}`,
      `/api/v3.0/expense/reports/${someId}?user=ALL`,
    ]) {
      const byId = await read(t2, path)
      expect({ path, refused: byId.status >= 400 && byId.status < 500 }).toEqual({ path, refused: true })
      expect(WebServiceError.safeParse(byId.json).success).toBe(true)
    }
    const asUser = await read(
      t2,
      `/api/v3.0/expense/reports?user=${encodeURIComponent(c0.users[0]!.loginId)}`,
    )
    expect(asUser.status).toBe(400)
    for (const r of asUser.json.Items ?? []) expect(ids0.has(r.ID)).toBe(false)
  })

  it('the client surfaces a refused token as a typed 403, never as data', async () => {
    const { header, payload } = parts(real.access)
    const client = createConcurClient({
      auth: staticToken(`${b64({ ...header, alg: 'none' })}.${b64(payload)}.`, running.datacenters.us),
      http,
      retry: { maxRetries: 0 },
    })
    const err = await client.expenseReports
      .list({ user: 'ALL' })
      .toArray()
      .catch((e: unknown) => e)
    await client.close()
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect((err as ConcurRequestError).status).toBe(403)
    expect(String((err as Error).message)).not.toContain(payload.jti as string)
  })
})

describe('the token endpoint refuses misused credentials with the OAuth2 body and code', () => {
  it('a rotated refresh token used again → 108; a forged one → 108; an access token as refresh token → 108', async () => {
    const g = await passwordGrant(a)
    const first = String(g.body.refresh_token)
    const next = await grant(a, { grant_type: 'refresh_token', refresh_token: first })
    expect(next.status).toBe(200)
    expect(next.body.refresh_token).not.toBe(first)
    for (const reuse of [first, `${first.slice(0, -1)}0`, String(g.body.access_token)]) {
      const again = await grant(a, { grant_type: 'refresh_token', refresh_token: reuse })
      expect(again.status).toBe(400)
      expect(OAuthErrorBody.parse(again.body).code).toBe(108)
      figures.forgeriesRefused++
    }
    // the new refresh token still works: reuse of the old one did not burn the chain's successor
    const third = await grant(a, {
      grant_type: 'refresh_token',
      refresh_token: String(next.body.refresh_token),
    })
    expect(third.status).toBe(200)
  })

  it("another company's refresh token with this app's credentials → refused, never a token for either company", async () => {
    const gb = await passwordGrant(b)
    const res = await fetch(`${running.datacenters.us}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: a.apps[0]!.clientId,
        client_secret: a.apps[0]!.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: String(gb.body.refresh_token),
      }),
    })
    const body = (await res.json()) as Record<string, unknown>
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(OAuthErrorBody.safeParse(body).success).toBe(true)
    expect(body.access_token).toBeUndefined()
    figures.forgeriesRefused++
  })

  it('wrong client secret → 401 code 64; a secret differing only in its last character too', async () => {
    const secret = a.apps[0]!.clientSecret
    for (const wrong of ['x', `${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`, `${secret}x`]) {
      const res = await grant(a, {
        client_secret: wrong,
        grant_type: 'password',
        username: a.users[0]!.loginId,
        password: a.users[0]!.password,
      })
      expect(res.status).toBe(401)
      expect(OAuthErrorBody.parse(res.body).code).toBe(64)
      figures.forgeriesRefused++
    }
  })
})

describe("@concurkit/auth's verifyIdToken refuses the same forgeries", () => {
  const verify = (token: string, o: { clientId?: string; baseUrl?: string; now?: () => number } = {}) =>
    verifyIdToken(token, {
      clientId: o.clientId ?? a.apps[0]!.clientId,
      baseUrl: o.baseUrl ?? running.datacenters.us!,
      http,
      ...(o.now ? { now: o.now } : {}),
    })
  const refused = async (token: string, what: string, o: Parameters<typeof verify>[1] = {}) => {
    const err = await verify(token, o).catch((e: unknown) => e)
    expect({ what, code: (err as { code?: string }).code }).toEqual({
      what,
      code: AUTH_ERROR_CODES.ID_TOKEN_INVALID,
    })
    figures.idTokenForgeriesRefused++
  }

  it('the genuine id_token verifies (control)', async () => {
    const claims = await verify(real.idToken)
    expect(claims.aud).toBe(a.apps[0]!.clientId)
  })

  it('alg none, HS256 with the public key, a wrong key, a tampered payload', async () => {
    const { header, payload, signature } = parts(real.idToken)
    await refused(`${b64({ ...header, alg: 'none' })}.${b64(payload)}.`, 'alg none')
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await refused(hs256({ ...header, alg: 'HS256' }, payload, pem), 'HS256 confusion')
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    await refused(rs256(header, payload, privateKey), 'wrong key')
    await refused(`${b64(header)}.${b64({ ...payload, sub: b.users[0]!.id })}.${signature}`, 'tampered sub')
  })

  it('expired and not yet valid (beyond the 60 s tolerance)', async () => {
    await refused(real.idToken, 'expired', { now: () => Date.now() + 3 * 3_600_000 })
    await refused(real.idToken, 'not yet valid', { now: () => Date.now() - 3_600_000 })
  })

  it("another company's id_token (other audience) and another datacenter's (other issuer)", async () => {
    const gb = await passwordGrant(b)
    const other = String(gb.body.id_token)
    await refused(other, 'other company, this app', { baseUrl: running.datacenters.eu2! })
    await refused(other, 'other datacenter', {
      clientId: b.apps[0]!.clientId,
      baseUrl: running.datacenters.us!,
    })
    // control: it verifies where it belongs
    const ok = await verify(other, { clientId: b.apps[0]!.clientId, baseUrl: running.datacenters.eu2! })
    expect(ok.aud).toBe(b.apps[0]!.clientId)
  })
})
