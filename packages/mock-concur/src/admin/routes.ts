import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { describeCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { FaultInput } from '../faults.js'
import { ConcurHttpError } from '../http/errors.js'
import { issueRequestToken, revokeConnections } from '../oauth/routes.js'
import { oauthStore } from '../oauth/store.js'

/** `POST /_mock/clock`. */
export const ClockAdvance = z.strictObject({
  advanceSeconds: z
    .number()
    .finite()
    .min(0)
    .max(100 * 365 * 86400),
})
/** `POST /_mock/reseed` (every field optional: omitted ones keep their value). */
export const ReseedInput = z.strictObject({
  seed: z.number().int().optional(),
  size: z.number().int().min(0).max(100_000_000).optional(),
  companies: z.number().int().min(1).max(1000).optional(),
})
/** `POST /_mock/companies/{id}/request-token`. */
export const RequestTokenInput = z.strictObject({ clientId: z.string().min(1).optional() })
/** `POST /_mock/revoke`: revoke every refresh token of a user (or the company) for an app. */
export const RevokeInput = z.strictObject({
  companyId: z.string().min(1),
  clientId: z.string().min(1),
  userIndex: z.number().int().min(0).optional(),
})

const MAX_ADMIN_BODY = 256 * 1024

/** Reads and validates a JSON body; an empty body reads as `{}`. Errors are 400 `{error}`. */
async function jsonBody<T extends z.ZodType>(c: Context<MockEnv>, schema: T): Promise<z.output<T>> {
  const text = await c.req.text()
  if (text.length > MAX_ADMIN_BODY) throw new ConcurHttpError(413, 'request body too large')
  let value: unknown = {}
  if (text.trim()) {
    try {
      value = JSON.parse(text)
    } catch {
      throw new ConcurHttpError(400, 'request body is not valid JSON')
    }
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new ConcurHttpError(400, z.prettifyError(parsed.error).replace(/\n/g, '; '))
  return parsed.data
}

/** The admin API of the mock under `/_mock`: reset, reseed, clock, journal, faults, credentials, tokens. */
export function adminRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()

  const clock = () => ({
    now: new Date(state.clock.now()).toISOString(),
    nowSeconds: state.clock.nowSeconds(),
    offsetSeconds: state.clock.offsetSeconds,
  })

  app.post('/reset', (c) => {
    state.reset()
    return c.json({ reset: true })
  })

  app.post('/reseed', async (c) => {
    const input = await jsonBody(c, ReseedInput)
    try {
      state.reseed(input)
    } catch (err) {
      throw new ConcurHttpError(400, err instanceof Error ? err.message : 'invalid reseed options')
    }
    const { seed, size, companies } = state.options
    return c.json({ seed, size, companies })
  })

  app.get('/clock', (c) => c.json(clock()))
  app.post('/clock', async (c) => {
    const { advanceSeconds } = await jsonBody(c, ClockAdvance)
    state.clock.advance(advanceSeconds)
    return c.json(clock())
  })

  app.get('/journal', (c) => {
    const since = Number(c.req.query('since') ?? 0)
    const limit = Math.min(Number(c.req.query('limit') ?? 1000) || 1000, 10_000)
    const all = state.journal.list()
    const entries = all.filter((e) => e.id > (Number.isFinite(since) ? since : 0))
    return c.json({ entries: entries.slice(-limit), total: all.length })
  })
  app.delete('/journal', (c) => {
    state.journal.clear()
    return c.json({ cleared: true })
  })

  app.post('/faults', async (c) => {
    const input = await jsonBody(c, FaultInput)
    const rule = state.faults.add(input)
    return c.json({ id: rule.id }, 201)
  })
  app.get('/faults', (c) => c.json({ faults: state.faults.rules }))
  app.delete('/faults/:id', (c) => {
    if (!state.faults.remove(c.req.param('id'))) throw new ConcurHttpError(404, 'no fault rule with this id')
    return c.json({ deleted: c.req.param('id') })
  })
  app.delete('/faults', (c) => {
    const removed = state.faults.rules.length
    state.faults.clear()
    return c.json({ deleted: removed })
  })

  app.get('/companies', (c) =>
    c.json({ companies: state.companies.map((co) => describeCompany(co, state.baseUrl(co.datacenter))) }),
  )
  app.get('/companies/:id', (c) => {
    const company = state.company(c.req.param('id'))
    if (!company) throw new ConcurHttpError(404, 'unknown company')
    return c.json(describeCompany(company, state.baseUrl(company.datacenter)))
  })
  app.post('/companies/:id/request-token', async (c) => {
    const { clientId } = await jsonBody(c, RequestTokenInput)
    const { token, expiresAt, company } = issueRequestToken(state, c.req.param('id'), clientId)
    return c.json(
      {
        companyId: company.id,
        requestToken: token,
        expiresAt,
        geolocation: state.baseUrl(company.datacenter),
        ...(clientId ? { clientId } : {}),
      },
      201,
    )
  })

  app.get('/otp', (c) => {
    const email = c.req.query('email')
    if (!email) throw new ConcurHttpError(400, 'email query parameter required')
    const record = oauthStore(state).otps.get(email.toLowerCase())
    if (!record || record.expiresAt <= state.clock.nowSeconds())
      throw new ConcurHttpError(404, 'no open one-time password for this address')
    return c.json({ email: record.email, otp: record.otp, expiresAt: record.expiresAt })
  })

  app.post('/revoke', async (c) => {
    const input = await jsonBody(c, RevokeInput)
    const revoked = revokeConnections(state, input)
    return c.json({ revoked })
  })

  return app
}
