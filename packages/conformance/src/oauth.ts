import { createTokenManager, memoryStore, passwordGrant, type TokenManager } from '@concurkit/auth'
import { OAuthErrorBody, TokenResponse, WebServiceError } from '@concurkit/contract'
import { z } from 'zod'
import type { Credentials, TargetContext, TokenSet } from './context.js'
import { fail } from './types.js'
import type { WireResponse } from './wire.js'

/** POSTs a form to `<base>/oauth2/v0/token` and returns the raw answer. */
export function tokenRequest(
  target: TargetContext,
  base: string,
  form: Record<string, string | undefined>,
): Promise<WireResponse> {
  return target.wire.request({ url: `${base}/oauth2/v0/token`, form, record: 'POST /oauth2/v0/token' })
}

/** Parses a successful token answer with the contract's schema, failing the check otherwise. */
export function expectTokenResponse(res: WireResponse, what: string, target: TargetContext): TokenSet {
  if (res.status !== 200) fail(`${what}: expected 200, got ${res.status} ${describeOAuthError(res)}`)
  const parsed = TokenResponse.safeParse(safeJson(res))
  if (!parsed.success)
    fail(`${what}: token response does not match the contract: ${z.prettifyError(parsed.error)}`)
  const t = parsed.data
  target.io.redactor.add(t.access_token)
  target.io.redactor.add(t.refresh_token)
  target.io.redactor.add(t.id_token)
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    geolocation: t.geolocation.replace(/\/+$/, ''),
    scope: t.scope.split(/\s+/).filter(Boolean),
    expiresIn: t.expires_in,
  }
}

/** Fails unless the answer is Concur's OAuth2 error body with this numeric `code`. */
export function expectOAuthError(
  res: WireResponse,
  code: number,
  what: string,
): z.infer<typeof OAuthErrorBody> {
  if (res.status < 400 || res.status >= 500) fail(`${what}: expected a 4xx, got ${res.status}`)
  const parsed = OAuthErrorBody.safeParse(safeJson(res))
  if (!parsed.success) fail(`${what}: ${res.status} body is not Concur's OAuth2 error body`)
  if (parsed.data.code !== code) {
    fail(
      `${what}: expected code ${code}, got ${parsed.data.code} (${parsed.data.error}: ${parsed.data.error_description})`,
    )
  }
  return parsed.data
}

/** Fails unless the answer is a v3 `{"Error": {Message, Server-Time, Id}}` body (JSON) with this status. */
export function expectWebServiceError(
  res: WireResponse,
  status: number | readonly number[],
  what: string,
): void {
  const allowed = typeof status === 'number' ? [status] : status
  if (!allowed.includes(res.status)) fail(`${what}: expected ${allowed.join(' or ')}, got ${res.status}`)
  if (res.contentType.includes('xml')) {
    const x = res.xml() as { Error?: { Message?: unknown } }
    if (!x.Error || typeof x.Error.Message !== 'string')
      fail(`${what}: XML error body lacks <Error><Message>`)
    return
  }
  const parsed = WebServiceError.safeParse(safeJson(res))
  if (!parsed.success) fail(`${what}: ${res.status} body is not Concur's {"Error": {...}} body`)
}

function safeJson(res: WireResponse): unknown {
  try {
    return res.json()
  } catch {
    return undefined
  }
}

function describeOAuthError(res: WireResponse): string {
  const parsed = OAuthErrorBody.safeParse(safeJson(res))
  return parsed.success ? `(code ${parsed.data.code} ${parsed.data.error})` : ''
}

/** A session: `@concurkit/auth`'s password grant, kept in a token manager that a client reads. */
export interface Session {
  readonly tokens: TokenSet
  readonly manager: TokenManager
}

/** The password grant for the target's main credentials, through `@concurkit/auth`. */
export async function passwordSession(target: TargetContext, credentials: Credentials): Promise<Session> {
  const set = await passwordGrant({
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    username: credentials.username,
    password: credentials.password,
    baseUrl: target.baseUrl,
  })
  const manager = createTokenManager({
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    store: memoryStore(),
    profile: 'conformance',
    baseUrl: target.baseUrl,
  })
  await manager.save(set, { grant: 'password', username: credentials.username })
  const tokens: TokenSet = {
    accessToken: set.accessToken.reveal(),
    ...(set.refreshToken ? { refreshToken: set.refreshToken.reveal() } : {}),
    geolocation: set.geolocation.replace(/\/+$/, ''),
    scope: set.scope.split(/\s+/).filter(Boolean),
    expiresIn: Math.round((set.expiresAt - set.obtainedAt) / 1000),
  }
  target.io.redactor.add(tokens.accessToken)
  target.io.redactor.add(tokens.refreshToken)
  return { tokens, manager }
}

/**
 * An App JWT of the target's app: a client_credentials grant (no user and no company data; the
 * Event Subscription Service's token).
 *
 * @example
 * const s = await appSession(target, 'events.topic.read')
 */
export async function appSession(target: TargetContext, scope?: string): Promise<TokenSet> {
  const res = await tokenRequest(target, target.baseUrl, {
    grant_type: 'client_credentials',
    client_id: target.credentials.clientId,
    client_secret: target.credentials.clientSecret,
    scope,
  })
  return expectTokenResponse(res, `client_credentials grant${scope ? ` (scope=${scope})` : ''}`, target)
}

/**
 * A company-level token of the target's app: a company request token (on the mock, issued by its
 * admin API as Concur's App Center would) exchanged with `credtype=authtoken`. For the APIs that
 * refuse user tokens (Identity v4).
 *
 * @example
 * const s = await companySession(target) // s.accessToken reads Identity v4.1
 */
export async function companySession(target: TargetContext): Promise<TokenSet> {
  const company = target.fixtures?.companies.find((c) =>
    c.apps.some((a) => a.clientId === target.credentials.clientId),
  )
  if (!company)
    fail("a company token needs a company request token (the mock issues one; Concur's App Center does)")
  const issued = (await target.admin('POST', `/_mock/companies/${company.id}/request-token`, {
    clientId: target.credentials.clientId,
  })) as { token?: string; requestToken?: string }
  const requestToken = issued.requestToken ?? issued.token
  if (typeof requestToken !== 'string') fail('the admin API returned no request token')
  target.io.redactor.add(requestToken)
  const res = await tokenRequest(target, target.baseUrl, {
    grant_type: 'password',
    credtype: 'authtoken',
    client_id: target.credentials.clientId,
    client_secret: target.credentials.clientSecret,
    username: company.id,
    password: requestToken,
  })
  return expectTokenResponse(res, 'company request token grant', target)
}
