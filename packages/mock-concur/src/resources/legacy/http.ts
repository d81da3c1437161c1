import { XSI_NAMESPACE } from '@concurkit/contract'
import { XMLBuilder } from 'fast-xml-parser'
import type { Context } from 'hono'
import type { MockEnv } from '../../context.js'
import { ConcurHttpError } from '../../http/errors.js'
import { wireText } from '../../http/text.js'
import type { Principal } from '../../principal.js'

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  tagValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? wireText(value) : value),
  attributeValueProcessor: (_name: string, value: unknown) =>
    typeof value === 'string' ? wireText(value) : value,
})

/** An `i:nil="true"` element (a null date in v1.1/v2.0 bodies). */
export const NIL = Object.freeze({ '@_i:nil': 'true' })

/**
 * Serialises one XML document: the root element with its namespace (and `xmlns:i` when asked) and
 * the content in insertion order (arrays repeat their element).
 */
export function xmlDocument(
  root: string,
  content: Record<string, unknown>,
  options: { namespace?: string; xsi?: boolean } = {},
): string {
  const attrs: Record<string, string> = {}
  if (options.namespace) attrs['@_xmlns'] = options.namespace
  if (options.xsi) attrs['@_xmlns:i'] = XSI_NAMESPACE
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: { ...attrs, ...content } })}`
}

/** A 200 (or other status) `application/xml` response. */
export function xmlResponse(
  c: Context<MockEnv>,
  body: string,
  status: 200 | 201 = 200,
  headers: Record<string, string> = {},
): Response {
  return c.body(body, status, { 'content-type': 'application/xml; charset=utf-8', ...headers })
}

/**
 * Reads the query against the documented parameter names, case-insensitively (v1.1/v2.0/trips
 * accept any casing); an unknown parameter or a repeated one is Concur's 400.
 */
export function readQuery(c: Context<MockEnv>, allowed: readonly string[]): Map<string, string> {
  const canonical = new Map(allowed.map((a) => [a.toLowerCase(), a]))
  const out = new Map<string, string>()
  const url = new URL(c.req.url)
  for (const [name, value] of url.searchParams) {
    const known = canonical.get(name.toLowerCase())
    if (!known) throw new ConcurHttpError(400, `Invalid parameter: ${name}`)
    if (out.has(known)) throw new ConcurHttpError(400, `Parameter ${known} is given more than once`)
    out.set(known, value)
  }
  return out
}

/** The caller's user, or Concur's 403 for company tokens on per-user APIs. */
export function requireUser(p: Principal) {
  if (!p.user)
    throw new ConcurHttpError(403, 'Forbidden Request: this API acts on behalf of a user; use a user token')
  return p.user
}

/** Concur's 403 unless the caller is a Web Services Administrator or a company token. */
export function requireAdmin(p: Principal, what: string): void {
  if (!p.isAdmin)
    throw new ConcurHttpError(
      403,
      `Forbidden Request: ${what} requires the Company Admin, Web Services Admin or Can Administer role`,
    )
}

/** Parses a `true`/`false` query value (case-insensitive) or answers 400. */
export function boolParam(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  const v = value.toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new ConcurHttpError(400, `Invalid value for ${name}: expected true or false`)
}
