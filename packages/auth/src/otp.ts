/** The one-time-password flow: mail an OTP (`/oauth2/v0/otp`), then the `otp` grant. */
import { OtpResponse } from '@concurkit/contract'
import { ADVICE, CONCUR_BAD_RESPONSE, ConcurAuthError } from './errors.js'
import { type Secret, secret } from './secret.js'
import {
  encodeForm,
  httpOf,
  type OAuthCallOptions,
  oauthErrorFromResponse,
  requireFields,
  runGrant,
  scopeString,
  type TokenSet,
  tokenBaseUrl,
} from './token-endpoint.js'

/** Options of {@link requestOtp}. */
export interface RequestOtpOptions extends OAuthCallOptions {
  /** The user's e-mail address (`channel_handle`). */
  email: string
  name?: string
  company?: string
  link?: string
}

/**
 * `POST /oauth2/v0/otp`: asks Concur to e-mail a one-time password to the user.
 *
 * @example
 * await requestOtp({ clientId, clientSecret, email: 'jane@example.com' }) // { message: 'otp sent' }
 */
export async function requestOtp(options: RequestOtpOptions): Promise<OtpResponse> {
  requireFields({ clientId: options.clientId, clientSecret: options.clientSecret, email: options.email })
  const clientSecret = secret(options.clientSecret)
  const res = await httpOf(options).request({
    method: 'POST',
    url: `${tokenBaseUrl(options)}/oauth2/v0/otp`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: encodeForm({
      client_id: options.clientId,
      client_secret: clientSecret,
      channel_type: 'email',
      channel_handle: options.email,
      name: options.name,
      company: options.company,
      link: options.link,
    }),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  if (res.status !== 200) throw oauthErrorFromResponse(res, { grant: 'otp request', secrets: [clientSecret] })
  let json: unknown
  try {
    json = JSON.parse(res.text())
  } catch {
    json = undefined
  }
  const parsed = OtpResponse.safeParse(json)
  if (!parsed.success) {
    throw new ConcurAuthError(
      CONCUR_BAD_RESPONSE,
      `Concur's answer to the otp request is not {"message": …}. ${ADVICE[CONCUR_BAD_RESPONSE]}`,
      { status: res.status, method: 'POST', url: res.url },
    )
  }
  return parsed.data
}

/** Options of {@link otpGrant}. */
export interface OtpGrantOptions extends OAuthCallOptions {
  email: string
  /** The one-time password from the e-mail. */
  otp: string | Secret
  scope?: string | readonly string[]
}

/**
 * `grant_type=otp`: exchanges a one-time password mailed by {@link requestOtp}.
 *
 * @example
 * const tokens = await otpGrant({ clientId, clientSecret, email: 'jane@example.com', otp: '123456' })
 */
export async function otpGrant(options: OtpGrantOptions): Promise<TokenSet> {
  requireFields({ email: options.email, otp: options.otp })
  return runGrant(options, {
    grant: 'otp',
    baseUrl: tokenBaseUrl(options),
    fields: {
      grant_type: 'otp',
      channel_type: 'email',
      channel_handle: options.email,
      otp: secret(options.otp),
      scope: scopeString(options.scope),
    },
  })
}
