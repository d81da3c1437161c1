import { AuthorizeQuery, OAUTH_ERRORS } from '@concurkit/contract'
import { type DocumentBuilder, ERROR_RESPONSES, input, type Json, pathParameters, ref } from './components.js'

/**
 * Adds the OAuth2 token service (token, JWKS, authorize, OTP), connection revocation and the App Center
 * company request token.
 */
export function addOAuthPaths(builder: DocumentBuilder): void {
  const { op } = builder
  const oauthError = (description: string) => ({
    description,
    content: { 'application/json': { schema: ref('OAuthErrorBody') } },
  })
  const byError = new Map<string, number[]>()
  for (const e of Object.values(OAUTH_ERRORS)) byError.set(e.error, [...(byError.get(e.error) ?? []), e.code])
  const oauthCodes = [...byError].map(([error, codes]) => `\`${error}\` ${codes.join(', ')}`).join('; ')
  op('/oauth2/v0/token', 'post', {
    operationId: 'oauth2.token',
    summary: 'Obtain or refresh an access token (every grant)',
    tags: ['OAuth2'],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest') } },
    },
    responses: {
      '200': { description: 'Tokens.', content: { 'application/json': { schema: ref('TokenResponse') } } },
      '400': oauthError(`Invalid request or grant. Codes: ${oauthCodes}.`),
      '401': oauthError('Client authentication failed.'),
    },
  })
  op('/oauth2/v0/jwks', 'get', {
    operationId: 'oauth2.jwks',
    summary: 'Signing keys of access and id tokens',
    tags: ['OAuth2'],
    responses: { '200': { description: 'JWKS.', content: { 'application/json': { schema: ref('Jwks') } } } },
  })
  const authorizeQuery = input(AuthorizeQuery) as { properties?: Record<string, Json>; required?: string[] }
  op('/oauth2/v0/authorize', 'get', {
    operationId: 'oauth2.authorize',
    summary: 'Authorization-code flow: the sign-in page',
    tags: ['OAuth2'],
    parameters: Object.entries(authorizeQuery.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: authorizeQuery.required?.includes(name) ?? false,
      schema,
    })),
    responses: {
      '200': { description: 'Sign-in form.', content: { 'text/html': { schema: { type: 'string' } } } },
      '400': oauthError('Unknown client or redirect URI.'),
    },
  })
  op('/oauth2/v0/authorize', 'post', {
    operationId: 'oauth2.authorizeSubmit',
    summary: 'Authorization-code flow: submit the sign-in form',
    tags: ['OAuth2'],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } },
    },
    responses: {
      '302': { description: 'Redirect to `redirect_uri` with `code` and `state`.' },
      '401': { description: 'Sign-in form again, with an error.' },
    },
  })
  op('/oauth2/v0/otp', 'post', {
    operationId: 'oauth2.otp',
    summary: 'Send a one-time password (OTP grant)',
    tags: ['OAuth2'],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: ref('OtpRequest') } },
    },
    responses: {
      '200': { description: 'Sent.', content: { 'application/json': { schema: ref('OtpResponse') } } },
      '400': oauthError('Invalid request.'),
    },
  })
  op('/app-mgmt/v0/connections', 'delete', {
    operationId: 'oauth2.revokeConnections',
    summary: 'Revoke every refresh token of the caller for this app',
    tags: ['OAuth2'],
    security: [{ bearer: [] }],
    responses: { '200': { description: 'Revoked.' }, '401': { description: 'Missing or invalid token.' } },
  })
  op('/profile-service/v1/keys/principals/{companyId}/authtoken', 'post', {
    operationId: 'appCenter.companyRequestToken',
    summary: 'Mint a company request token (App Center)',
    tags: ['OAuth2'],
    parameters: pathParameters('/profile-service/v1/keys/principals/{companyId}/authtoken'),
    security: [{ basic: [] }, { bearer: [] }],
    responses: {
      '200': {
        description: 'Request token.',
        content: { 'application/json': { schema: ref('CompanyAuthTokenResponse') } },
      },
      ...ERROR_RESPONSES,
    },
  })
}
