import * as oauth from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur, type RunningMock } from '../mock.js'

/**
 * A third-party OAuth 2.0 client (panva/oauth4webapi) against the listening mock: proof that the
 * token endpoint speaks standard OAuth 2.0, not only to concurkit's own client.
 */
describe('oauth4webapi against the listening mock', () => {
  let mock: MockConcur
  let running: RunningMock
  beforeAll(async () => {
    mock = createMockConcur()
    running = await mock.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await running.close()
  })

  const setup = () => {
    const company = mock.state.companies[0]!
    const base = running.datacenters[company.datacenter]!
    const as: oauth.AuthorizationServer = {
      issuer: base,
      token_endpoint: `${base}/oauth2/v0/token`,
      jwks_uri: `${base}/oauth2/v0/jwks`,
    }
    const client: oauth.Client = { client_id: company.apps[0]!.clientId }
    const auth = oauth.ClientSecretPost(company.apps[0]!.clientSecret)
    return { company, base, as, client, auth, options: { [oauth.allowInsecureRequests]: true } }
  }

  it('obtains a token with the password grant (id_token validated) and refreshes it', async () => {
    const { company, base, as, client, auth, options } = setup()
    const user = company.users[2]!
    const res = await oauth.genericTokenEndpointRequest(
      as,
      client,
      auth,
      'password',
      { username: user.loginId, password: user.password },
      options,
    )
    const tokens = await oauth.processGenericTokenEndpointResponse(as, client, res)
    expect(tokens.token_type).toBe('bearer')
    expect(tokens.expires_in).toBe(3600)
    expect(tokens.geolocation).toBe(base)
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(user.id)

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options),
    )
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)

    // The replaced refresh token is refused with Concur's error, which oauth4webapi surfaces.
    const stale = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options)
    const err = await oauth.processRefreshTokenResponse(as, client, stale).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(oauth.ResponseBodyError)
    expect((err as oauth.ResponseBodyError).error).toBe('invalid_grant')
    expect((err as oauth.ResponseBodyError).cause).toMatchObject({ code: 108 })
  })

  it('obtains a client-credentials token', async () => {
    const { as, client, auth, options } = setup()
    const res = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), options)
    const tokens = await oauth.processClientCredentialsResponse(as, client, res)
    expect(tokens.access_token.split('.')).toHaveLength(3)
    expect(tokens.refresh_token).toBeUndefined()
  })
})
