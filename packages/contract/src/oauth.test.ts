import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DATACENTERS, datacenterOf } from './datacenters.js'
import { OAUTH_ERRORS, OAuthErrorBody, oauthErrorBody, WebServiceError } from './errors.js'
import { IdTokenClaims, TokenRequest, TokenResponse } from './oauth.js'

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/concur-examples/${name}`, import.meta.url), 'utf8'))

describe('token response schema', () => {
  it.each([
    'oauth2-token-response.json',
    'oauth2-token-client-credentials-response.json',
    'oauth2-token-companyauth-response.json',
    'oauth2-refresh-response-migrationguide.json',
  ])('parses the documented sample %s and normalises expires_in to a number', (file) => {
    const parsed = TokenResponse.parse(example(file))
    expect(parsed.expires_in).toBe(3600)
    expect(parsed.geolocation).toBe('https://us.api.concursolutions.com')
  })

  it('refuses a response without geolocation', () => {
    const { geolocation: _, ...rest } = example('oauth2-token-response.json')
    expect(TokenResponse.safeParse(rest).success).toBe(false)
  })
})

describe('errors', () => {
  it('builds the documented invalid_grant body byte for byte', () => {
    expect(oauthErrorBody(5)).toEqual(example('oauth2-token-error-invalid-grant.json'))
    expect(OAuthErrorBody.parse(example('oauth2-token-error-invalid-grant.json')).code).toBe(5)
  })
  it('adds geolocation for "user lives elsewhere"', () => {
    expect(oauthErrorBody(16, DATACENTERS.eu2.baseUrl)).toMatchObject({
      code: 16,
      geolocation: DATACENTERS.eu2.baseUrl,
    })
    expect(OAUTH_ERRORS[16]?.error).toBe('invalid_request')
  })
  it('parses the v3 error sample', () => {
    expect(WebServiceError.parse(example('error-v3.json')).Error.Message).toBe('Forbidden Request')
  })
})

describe('token requests', () => {
  it('parses the documented company request token form', () => {
    const form = Object.fromEntries(
      new URLSearchParams(
        'client_id=a&client_secret=b&grant_type=password&username=c&password=d&credtype=authtoken',
      ),
    )
    const req = TokenRequest.parse(form)
    expect(req.grant_type === 'password' && req.credtype).toBe('authtoken')
  })
  it('rejects an unknown grant', () => {
    expect(TokenRequest.safeParse({ client_id: 'a', client_secret: 'b', grant_type: 'magic' }).success).toBe(
      false,
    )
  })
  it('parses the documented id_token claims', () => {
    expect(IdTokenClaims.parse(example('oauth2-id-token-claims.json'))['concur.type']).toBe('user')
  })
})

describe('datacenters', () => {
  it('maps both host forms back to the datacenter', () => {
    expect(datacenterOf('https://www-eu2.api.concursolutions.com/oauth2/v0/authorize')?.name).toBe('eu2')
    expect(datacenterOf('https://us.api.concursolutions.com')?.name).toBe('us')
    expect(datacenterOf('not a url')).toBeUndefined()
  })
})
