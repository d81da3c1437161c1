import type { TargetContext } from '../context.js'
import { expectOAuthError, tokenRequest } from '../oauth.js'
import { type CheckDefinition, pass } from '../types.js'
import { main } from './oauth-fixtures.js'

const G = 'oauth'

/** A documented token-endpoint failure: the form, the Concur code expected. */
interface FailureCase {
  id: string
  title: string
  code: number
  /** Safe against a real tenant (no credential guessing that could lock an account). */
  safe: boolean
  form(t: TargetContext): Record<string, string | undefined>
}

const FAILURES: FailureCase[] = [
  {
    id: 'oauth.password.bad-credentials',
    title: 'a wrong password is refused with code 5 (invalid_grant)',
    code: 5,
    safe: false,
    form: (t) => ({ ...main(t), grant_type: 'password', password: 'not-the-password-1' }),
  },
  {
    id: 'oauth.password.missing-username',
    title: 'a password grant without username is refused with code 51',
    code: 51,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', username: undefined }),
  },
  {
    id: 'oauth.password.missing-password',
    title: 'a password grant without password is refused with code 52',
    code: 52,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', password: undefined }),
  },
  {
    id: 'oauth.client.missing-id',
    title: 'a token request without client_id is refused with code 62',
    code: 62,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', client_id: undefined }),
  },
  {
    id: 'oauth.client.missing-secret',
    title: 'a token request without client_secret is refused with code 63',
    code: 63,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', client_secret: undefined }),
  },
  {
    id: 'oauth.client.unknown',
    title: 'an unknown client_id is refused with code 61',
    code: 61,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', client_id: '00000000-0000-4000-8000-000000000000' }),
  },
  {
    id: 'oauth.client.wrong-secret',
    title: 'a wrong client_secret is refused with code 64',
    code: 64,
    safe: false,
    form: (t) => ({
      ...main(t),
      grant_type: 'password',
      client_secret: '00000000-0000-4000-8000-000000000001',
    }),
  },
  {
    id: 'oauth.grant-type.missing',
    title: 'a token request without grant_type is refused with code 65',
    code: 65,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: undefined }),
  },
  {
    id: 'oauth.refresh.missing-token',
    title: 'a refresh_token grant without refresh_token is refused with code 106',
    code: 106,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'refresh_token',
    }),
  },
  {
    id: 'oauth.refresh.bad-token',
    title: 'an unknown refresh token is refused with code 108',
    code: 108,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: 'e013335d-b4ce-4c43-a7e4-b67abc1adcb0',
    }),
  },
  {
    id: 'oauth.authorization-code.missing-code',
    title: 'an authorization_code grant without code is refused with code 101',
    code: 101,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'authorization_code',
      redirect_uri: 'http://127.0.0.1:9/callback',
    }),
  },
  {
    id: 'oauth.authorization-code.bad-code',
    title: 'an unknown authorization code is refused with code 103',
    code: 103,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'authorization_code',
      code: '5c2b1c36-0b4e-4a7a-9d59-1c2a3b4c5d6e',
      redirect_uri: 'http://127.0.0.1:9/callback',
    }),
  },
  {
    id: 'oauth.credtype.invalid',
    title: 'an unknown credtype is refused with code 120',
    code: 120,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', credtype: 'fingerprint' }),
  },
]

/** One check per documented token-endpoint failure (reference A.5). */
export function failureChecks(): CheckDefinition[] {
  const checks: CheckDefinition[] = []
  for (const f of FAILURES) {
    checks.push({
      id: f.id,
      title: f.title,
      reference: 'A.5',
      group: G,
      ...(f.safe
        ? {}
        : {
            requires: ['fixtures'] as const,
            unavailable:
              'a wrong password or client secret counts toward locking the account on a real tenant',
          }),
      async run(t) {
        const res = await tokenRequest(t, t.baseUrl, f.form(t))
        const body = expectOAuthError(res, f.code, f.title)
        return pass(`${res.status} ${body.error} (code ${body.code})`)
      },
    })
  }
  return checks
}
