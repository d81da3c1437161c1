import { z } from 'zod'

/**
 * The error body of the v1/v2/v3 "web services" APIs (JSON form).
 *
 * @example
 * { "Error": { "Message": "Forbidden Request", "Server-Time": "2019-03-12T07:56:32", "Id": "65F6..." } }
 */
export const WebServiceError = z.object({
  Error: z.object({
    Message: z.string(),
    'Server-Time': z.string(),
    Id: z.string(),
  }),
})
export type WebServiceError = z.infer<typeof WebServiceError>

/** The v4 APIs' `ErrorMessage` body. */
export const V4Error = z.object({
  errorId: z.string().optional(),
  errorMessage: z.string(),
  httpStatus: z.string(),
  path: z.string(),
  timestamp: z.string(),
  validationErrors: z.array(z.object({ id: z.string(), message: z.string(), source: z.string() })).optional(),
})
export type V4Error = z.infer<typeof V4Error>

/** The OAuth2 (`/oauth2/v0`) error body: `{"error", "error_description", "code", "geolocation"?}`. */
export const OAuthErrorBody = z.object({
  error: z.string(),
  error_description: z.string(),
  code: z.number().int(),
  geolocation: z.string().optional(),
})
export type OAuthErrorBody = z.infer<typeof OAuthErrorBody>

const ErrorText = z.union([z.string(), z.number()]).transform(String)

/** The message and code fields an error object may carry under any of the names Concur uses. */
export const LooseErrorFields = z.looseObject({
  Message: ErrorText.optional(),
  message: ErrorText.optional(),
  Id: ErrorText.optional(),
  code: ErrorText.optional(),
  id: ErrorText.optional(),
})
export type LooseErrorFields = z.output<typeof LooseErrorFields>

/**
 * Any other error body, read leniently (tolerant out): ASP.NET's `{"Message"}`, `{"message","code"}`,
 * a bare `{"error": "…"}`, a partial `{"Error": {…}}`. Clients try the family schemas above first
 * (`WebServiceError`, `OAuthErrorBody`, `V4Error`, `ListV4Error`, `IdentityError`) and this last.
 *
 * @example
 * LooseErrorBody.parse({ Message: 'An error has occurred.' }).Message // 'An error has occurred.'
 */
export const LooseErrorBody = LooseErrorFields.extend({
  Error: LooseErrorFields.optional(),
  error: z.union([z.string(), LooseErrorFields]).optional(),
  error_description: ErrorText.optional(),
  errorMessage: ErrorText.optional(),
  errorId: ErrorText.optional(),
  /** Cards v4, Itinerary v4 and Request v4 name the error with `errorCode`. */
  errorCode: ErrorText.optional(),
})
export type LooseErrorBody = z.output<typeof LooseErrorBody>

/** One documented `/oauth2/v0/token` error. */
export interface OAuthErrorCode {
  readonly code: number
  readonly error: string
  readonly description: string
  /** The HTTP status the mock answers with (undocumented by Concur; 400 unless stated). */
  readonly status: 400 | 401 | 403
}

const e = (
  code: number,
  error: string,
  description: string,
  status: 400 | 401 | 403 = 400,
): OAuthErrorCode => ({
  code,
  error,
  description,
  status,
})

/**
 * Concur's numeric OAuth2 error codes (reference section A.5), keyed by code.
 *
 * @example
 * OAUTH_ERRORS[5] // { code: 5, error: 'invalid_grant', description: 'Incorrect Credentials. Please Retry', status: 400 }
 */
export const OAUTH_ERRORS: Readonly<Record<number, OAuthErrorCode>> = Object.freeze(
  Object.fromEntries(
    [
      e(5, 'invalid_grant', 'Incorrect Credentials. Please Retry'),
      e(10, 'invalid_grant', 'Account is disabled. Please contact support'),
      e(11, 'invalid_grant', 'Account is disabled. Please contact support'),
      e(12, 'invalid_grant', 'Logon Denied. Please contact support'),
      e(13, 'invalid_grant', 'Logon Denied. Please contact support'),
      e(14, 'invalid_grant', 'Account Locked. Please contact support'),
      e(16, 'invalid_request', 'user lives elsewhere'),
      e(19, 'invalid_grant', 'Incorrect Credentials. Please Retry'),
      e(20, 'invalid_grant', 'Logon Denied'),
      e(51, 'invalid_request', 'username was not supplied'),
      e(52, 'invalid_request', 'password was not supplied'),
      e(53, 'invalid_client', 'company is not enabled for this client', 403),
      e(54, 'invalid_scope', 'requested scope exceeds granted scope'),
      e(55, 'invalid_request', "we don't know this email"),
      e(56, 'invalid_request', 'otp was not supplied'),
      e(57, 'invalid_request', 'channel_type missing'),
      e(58, 'invalid_request', 'channel_handle missing'),
      e(59, 'access_denied', 'client disabled', 403),
      e(60, 'invalid_grant', 'these are not the grants you are looking for'),
      e(61, 'invalid_client', 'client not found', 401),
      e(62, 'invalid_request', 'client_id was not supplied'),
      e(63, 'invalid_request', 'client_secret was not supplied'),
      e(64, 'invalid_client', 'Incorrect Credentials. Please Retry', 401),
      e(65, 'invalid_request', 'grant_type was not supplied'),
      e(80, 'invalid_request', 'invalid channel type'),
      e(81, 'invalid_request', 'bad channel handle'),
      e(82, 'invalid_request', 'the number of open otp requests has been exceeded'),
      e(83, 'invalid_request', 'otp not found'),
      e(84, 'invalid_request', 'fact verification failed'),
      e(85, 'invalid_request', 'otp verification failed'),
      e(100, 'invalid_request', 'backend does not know about this username'),
      e(101, 'invalid_request', 'code was not supplied'),
      e(102, 'invalid_request', 'redirect_uri was not supplied'),
      e(103, 'invalid_request', 'code is bad or expired'),
      e(104, 'invalid_grant', 'redirect_uri does not match the previous grant'),
      e(105, 'invalid_grant', 'this grant was not issued to you!'),
      e(106, 'invalid_request', 'refresh_token was not supplied'),
      e(107, 'invalid_request', 'refresh disallowed for app'),
      e(108, 'invalid_grant', 'bad or expired refresh token'),
      e(109, 'invalid_request', 'loginid was not supplied'),
      e(115, 'invalid_request', 'unauthenticated client will not be issued token!'),
      e(117, 'invalid_request', 'nonce is mandatory for this response_type'),
      e(118, 'invalid_request', 'display is invalid'),
      e(119, 'invalid_request', 'prompt is invalid'),
      e(120, 'invalid_request', 'credtype is invalid'),
      e(121, 'invalid_request', 'login_type is invalid'),
      e(122, 'invalid_request', 'proxies supplied are invalid'),
      e(123, 'invalid_request', 'principal is disabled'),
    ].map((x) => [x.code, x]),
  ),
)

/** Builds the OAuth2 error body for a documented code (with `geolocation` where given). */
export function oauthErrorBody(code: number, geolocation?: string): OAuthErrorBody {
  const known = OAUTH_ERRORS[code]
  if (!known) throw new RangeError(`unknown Concur OAuth2 error code ${code}`)
  return {
    error: known.error,
    error_description: known.description,
    code: known.code,
    ...(geolocation ? { geolocation } : {}),
  }
}
