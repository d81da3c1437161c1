import { z } from 'zod'

/**
 * Access-token lifetimes as Concur documents them (seconds).
 * @see reference section A.4
 */
export const TOKEN_LIFETIMES = Object.freeze({
  accessToken: 3600,
  refreshToken: 6 * 30 * 24 * 3600,
  companyRequestToken: 24 * 3600,
  authorizationCode: 10 * 60,
})

/** The grant types `/oauth2/v0/token` accepts. */
export const GrantType = z.enum([
  'password',
  'refresh_token',
  'client_credentials',
  'authorization_code',
  'otp',
])
export type GrantType = z.infer<typeof GrantType>

/** `credtype` of the password grant: a user password, or a company request token (App Center). */
export const CredType = z.enum(['password', 'authtoken'])
export type CredType = z.infer<typeof CredType>

const clientFields = {
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
}

/** `grant_type=password` (user password, or `credtype=authtoken` with company UUID + request token). */
export const PasswordGrantRequest = z.object({
  ...clientFields,
  grant_type: z.literal('password'),
  username: z.string().min(1),
  password: z.string().min(1),
  credtype: CredType.optional(),
  scope: z.string().optional(),
})
export type PasswordGrantRequest = z.infer<typeof PasswordGrantRequest>

/** `grant_type=refresh_token`. */
export const RefreshTokenGrantRequest = z.object({
  ...clientFields,
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
  scope: z.string().optional(),
})
export type RefreshTokenGrantRequest = z.infer<typeof RefreshTokenGrantRequest>

/** `grant_type=client_credentials` (no refresh token is returned). */
export const ClientCredentialsGrantRequest = z.object({
  ...clientFields,
  grant_type: z.literal('client_credentials'),
  scope: z.string().optional(),
})
export type ClientCredentialsGrantRequest = z.infer<typeof ClientCredentialsGrantRequest>

/** `grant_type=authorization_code` (3-legged). */
export const AuthorizationCodeGrantRequest = z.object({
  ...clientFields,
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.string().min(1),
})
export type AuthorizationCodeGrantRequest = z.infer<typeof AuthorizationCodeGrantRequest>

/** `grant_type=otp` (one-time password mailed by `/oauth2/v0/otp`). */
export const OtpGrantRequest = z.object({
  ...clientFields,
  grant_type: z.literal('otp'),
  channel_handle: z.string().min(1),
  channel_type: z.literal('email'),
  otp: z.string().min(1),
  scope: z.string().optional(),
})
export type OtpGrantRequest = z.infer<typeof OtpGrantRequest>

/** Any `/oauth2/v0/token` request body (form fields). */
export const TokenRequest = z.discriminatedUnion('grant_type', [
  PasswordGrantRequest,
  RefreshTokenGrantRequest,
  ClientCredentialsGrantRequest,
  AuthorizationCodeGrantRequest,
  OtpGrantRequest,
])
export type TokenRequest = z.infer<typeof TokenRequest>

/** `POST /oauth2/v0/otp` form. */
export const OtpRequest = z.object({
  ...clientFields,
  channel_handle: z.string().min(1),
  channel_type: z.literal('email'),
  name: z.string().optional(),
  company: z.string().optional(),
  link: z.string().optional(),
})
export type OtpRequest = z.infer<typeof OtpRequest>

/** `POST /oauth2/v0/otp` answer. */
export const OtpResponse = z.object({ message: z.string() })
export type OtpResponse = z.infer<typeof OtpResponse>

/**
 * The token response (200, JSON). `expires_in` is a string in most samples and a number in one:
 * the schema accepts both and outputs a number. Unknown fields are kept (tolerant out).
 */
export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => Number(v)),
  scope: z.string().optional().default(''),
  refresh_token: z.string().min(1).optional(),
  /** Refresh-token expiry as epoch seconds (named in the App Center steps only). */
  refresh_expires_in: z
    .union([z.number(), z.string().regex(/^\d+$/)])
    .transform((v) => Number(v))
    .optional(),
  id_token: z.string().optional(),
  geolocation: z.string().url(),
})
export type TokenResponse = z.output<typeof TokenResponse>
export type TokenResponseWire = z.input<typeof TokenResponse>

/** Claims of the OIDC `id_token` (reference A.6). */
export const IdTokenClaims = z.looseObject({
  aud: z.union([z.string(), z.array(z.string())]),
  'concur.profile': z.string().optional(),
  'concur.version': z.number().optional(),
  'concur.type': z.enum(['user', 'company']),
  sub: z.string(),
  iss: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
  iat: z.number(),
  at_hash: z.string().optional(),
})
export type IdTokenClaims = z.infer<typeof IdTokenClaims>

/** `GET /oauth2/v0/authorize` query. */
export const AuthorizeQuery = z.object({
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  scope: z.string().optional(),
  response_type: z.literal('code'),
  state: z.string().optional(),
})
export type AuthorizeQuery = z.infer<typeof AuthorizeQuery>

/** One JSON Web Key of `GET /oauth2/v0/jwks`. */
export const Jwk = z.looseObject({
  kty: z.string(),
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
})
/** `GET /oauth2/v0/jwks`. */
export const Jwks = z.object({ keys: z.array(Jwk) })
export type Jwks = z.infer<typeof Jwks>

/** App Center's company request token answer (`/profile-service/v1/keys/principals/{companyId}/authtoken/`). */
export const CompanyAuthTokenResponse = z.object({
  status: z.string(),
  code: z.number(),
  errormsg: z.string(),
  token: z.string(),
})
export type CompanyAuthTokenResponse = z.infer<typeof CompanyAuthTokenResponse>

/** Connect (v1.0–v3.x) scopes (reference A.7b). */
export const Scope = z.enum([
  'EXPRPT',
  'CCARD',
  'BANK',
  'ATTEND',
  'LIST',
  'IMAGE',
  'INVPMT',
  'INVVEN',
  'EXTRCT',
  'ITINER',
  'USER',
  'user_read',
  'CONFIG',
  'NOTIF',
  'PAYBAT',
  'EVS',
  'COMPANY',
  'openid',
])
export type Scope = z.infer<typeof Scope>
