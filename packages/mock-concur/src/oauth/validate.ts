import { ClientCredentialsGrantRequest, GrantType, OtpRequest, TokenRequest } from '@concurkit/contract'
import type { z } from 'zod'
import { oauthError } from '../http/errors.js'
import { malformed } from './form.js'
import type { BasicCredentials } from './grants.js'

/** A form as the token service reads it: the first non-empty value of each field. */
export type FormFields = Readonly<Record<string, string>>

/**
 * The form's fields as an object for the contract's schemas: the first value of each field, empty
 * values dropped (Concur treats `username=` as "not supplied"), and the client credentials taken
 * from HTTP Basic when the form does not carry them (RFC 6749 §2.3.1).
 */
export function formFields(form: URLSearchParams, basic?: BasicCredentials): FormFields {
  const fields: Record<string, string> = {}
  for (const name of new Set(form.keys())) {
    const value = form.get(name)
    if (value) fields[name] = value
  }
  if (basic) {
    fields.client_id ??= basic.clientId
    fields.client_secret ??= basic.clientSecret
  }
  return fields
}

/** Concur's OAuth2 code for a field that is absent, or present with a value the schema refuses. */
interface FieldCode {
  readonly field: string
  readonly missing: number
  readonly invalid?: number
}

/**
 * Validates `fields` with a contract schema; on failure answers Concur's OAuth2 error for the first
 * field of `codes` (the order Concur checks them in) that has an issue. A failure on a field Concur
 * documents no code for is a 400 with `code: 0` and zod's message.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  fields: FormFields,
  codes: readonly FieldCode[],
): z.output<S> {
  const parsed = schema.safeParse(fields)
  if (parsed.success) return parsed.data
  const failed = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))
  for (const rule of codes) {
    if (!failed.has(rule.field)) continue
    throw oauthError(fields[rule.field] === undefined ? rule.missing : (rule.invalid ?? rule.missing))
  }
  const first = parsed.error.issues[0]
  throw malformed(400, `${first?.path.join('.') || 'form'}: ${first?.message ?? 'invalid'}`)
}

/** The client fields every token and otp request carries (codes 62, 63). */
const ClientFields = ClientCredentialsGrantRequest.pick({ client_id: true, client_secret: true })
const CLIENT_CODES: readonly FieldCode[] = [
  { field: 'client_id', missing: 62 },
  { field: 'client_secret', missing: 63 },
]

/** The client's id and secret (62 / 63 when missing). */
export function clientFields(fields: FormFields): z.output<typeof ClientFields> {
  return parseForm(ClientFields, fields, CLIENT_CODES)
}

/** Per grant, the fields Concur checks and their codes, in its order. */
const GRANT_CODES: Readonly<Record<GrantType, readonly FieldCode[]>> = {
  password: [
    { field: 'credtype', missing: 120, invalid: 120 },
    { field: 'username', missing: 51 },
    { field: 'password', missing: 52 },
  ],
  refresh_token: [{ field: 'refresh_token', missing: 106 }],
  client_credentials: [],
  authorization_code: [
    { field: 'code', missing: 101 },
    { field: 'redirect_uri', missing: 102 },
  ],
  otp: [
    { field: 'channel_handle', missing: 58 },
    { field: 'channel_type', missing: 57, invalid: 80 },
    { field: 'otp', missing: 56 },
  ],
}

/**
 * A `/oauth2/v0/token` form as the contract's `TokenRequest` (call after the client is
 * authenticated: Concur answers 61/64 before 65/60): `grant_type` missing → 65, unknown → 60, then
 * the grant's own fields.
 */
export function tokenRequest(fields: FormFields): TokenRequest {
  const grant = GrantType.safeParse(fields.grant_type)
  if (!grant.success) throw oauthError(fields.grant_type === undefined ? 65 : 60)
  return parseForm(TokenRequest, fields, GRANT_CODES[grant.data])
}

/** A `POST /oauth2/v0/otp` form as the contract's `OtpRequest` (57/80 for the channel, then 58). */
export function otpRequest(fields: FormFields): OtpRequest {
  return parseForm(OtpRequest, fields, [
    { field: 'channel_type', missing: 57, invalid: 80 },
    { field: 'channel_handle', missing: 58 },
  ])
}
