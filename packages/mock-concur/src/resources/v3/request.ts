import type { FilterDefinition } from '@concurkit/contract'
import type { Context } from 'hono'
import type { z } from 'zod'
import type { MockEnv } from '../../context.js'
import { type Dataset, userIndexOfLogin } from '../../dataset/dataset.js'
import { FilterError, type FilterValue, parseFilterValue } from '../../dataset/filters.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requestHeader } from '../../http/headers.js'
import type { Principal } from '../../principal.js'
import type { UserSource } from '../../state.js'
import { WRITE_SCHEMAS } from '../writes.js'
import { readXmlBody } from '../xml-body.js'

/*
 * Reading a v3.0 request: who a list may show, its filters, and a write body (JSON or XML)
 * validated with the row's write schema.
 */

/** The field names of an item schema, in order (from the zod shape). */
export function itemKeys(item: z.ZodType): string[] {
  const shape = (item as unknown as { shape?: Record<string, unknown> }).shape
  return shape ? Object.keys(shape) : []
}

export const badParam = (param: string, why: string) =>
  new ConcurHttpError(400, `Invalid value for parameter '${param}': ${why}`)

/**
 * Who a list may show: the owner index (undefined = everyone). Without `user`, users see their own
 * records and company tokens the whole company; `user=ALL` or another login needs an administrator.
 */
export function resolveOwner(
  ds: Dataset,
  principal: Principal,
  user: string | undefined,
  added?: UserSource,
): number | undefined {
  if (user === undefined) return principal.type === 'company' ? undefined : principal.user?.index
  if (user.toUpperCase() === 'ALL') {
    if (!principal.isAdmin)
      throw new ConcurHttpError(
        403,
        'Forbidden Request: user=ALL requires the Web Services Administrator role',
      )
    return undefined
  }
  const index = userIndexOfLogin(ds, user) ?? added?.indexOfLogin(principal.company, user)
  if (index === undefined) throw badParam('user', `no user with login ID '${user}'`)
  if (!principal.isAdmin && index !== principal.user?.index)
    throw new ConcurHttpError(403, "Forbidden Request: only administrators may read other users' data")
  return index
}

/** Parses the filters of a query (every parameter must be documented) into values. */
export function parseFilters(
  defs: readonly FilterDefinition[],
  params: URLSearchParams,
  allowed: readonly string[],
): Map<string, FilterValue> {
  const byName = new Map(defs.map((d) => [d.param, d]))
  const out = new Map<string, FilterValue>()
  for (const [k, v] of params) {
    if (allowed.includes(k)) continue
    const def = byName.get(k)
    if (!def) throw new ConcurHttpError(400, `Unknown parameter '${k}'`)
    if (out.has(k)) continue
    try {
      out.set(k, parseFilterValue(def, v))
    } catch (err) {
      if (err instanceof FilterError) throw new ConcurHttpError(400, err.message)
      throw err
    }
  }
  return out
}

/**
 * Reads a v3.0 write body: JSON, or XML (`application/xml`, `text/xml`) as the v3.0 specs accept
 * (`consumes: application/json, application/xml`); both become the same object for `validate`.
 */
export async function readBody(c: Context<MockEnv>, key: string): Promise<Record<string, unknown>> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const isXml = type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')
  if (isXml) return readXmlBody(await c.req.text(), WRITE_SCHEMAS[key])
  if (!type.includes('json'))
    throw new ConcurHttpError(415, 'Send the body as application/json or application/xml')
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new ConcurHttpError(400, 'The request body is not valid JSON')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ConcurHttpError(400, 'The request body must be a JSON object')
  return body as Record<string, unknown>
}

export function validate(key: string, body: Record<string, unknown>): Record<string, unknown> {
  const schema = WRITE_SCHEMAS[key]
  if (!schema) return body
  const r = schema.safeParse(body)
  if (!r.success) {
    const issue = r.error.issues[0]
    const where = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : 'body')
    throw new ConcurHttpError(400, `Invalid field '${where}': ${issue?.message ?? 'invalid'}`)
  }
  return r.data as Record<string, unknown>
}
