import { getResource, isResourceName } from '@concurkit/contract'
import { Hono } from 'hono'
import { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import { providerOf } from '../dataset/providers.js'
import { ConcurHttpError } from '../http/errors.js'
import { itemKeys, overlaysOf } from './engine.js'
import { reportWorkflowAction } from './legacy/workflow.js'
import { buildCreated, findRecord, nextCreatedId, stampModified, WRITE_SCHEMAS } from './writes.js'

/** Body of `POST /_mock/dataset/{resource}`. */
const DatasetChange = z.strictObject({
  company: z.string().optional(),
  action: z.enum(['create', 'update', 'delete', 'submit', 'approve', 'send-back']),
  id: z.string().optional(),
  user: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  /** The report's new `LastComment` (workflow actions; required for `send-back`). */
  comment: z.string().max(2000).optional(),
})

/**
 * `POST /_mock/dataset/{resource}`: creates, modifies or deletes a record on the mock clock, as
 * Concur users would between two polls. Updates may set any item field (e.g. `ApprovalStatusCode`)
 * and bump the record's modification date to the mock clock's now. Expense reports also take the
 * workflow actions `submit`, `approve` and `send-back` (see `reportWorkflowAction`): `submit` and
 * `approve` notify the company's connectors that have an Event Notification callout.
 */
export function datasetAdminRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.post('/_mock/dataset/:resource', async (c) => {
    const { state } = ctx
    const name = c.req.param('resource')
    const provider = providerOf(name)
    if (!provider || !isResourceName(name)) throw new ConcurHttpError(404, `no v3.0 resource '${name}'`)
    let raw: unknown
    try {
      raw = await c.req.json()
    } catch {
      throw new ConcurHttpError(400, 'body must be JSON')
    }
    const parsed = DatasetChange.safeParse(raw)
    if (!parsed.success) throw new ConcurHttpError(400, z.prettifyError(parsed.error))
    const change = parsed.data
    const company = change.company ? state.company(change.company) : state.companies[0]
    if (!company) throw new ConcurHttpError(404, `no company '${change.company}'`)
    const ds = datasetOf(state.options.seed, company)
    const overlay = overlaysOf(state).of(company.id, name)
    const keys = itemKeys(getResource(name).item)
    const now = state.clock.now()
    const fields = change.fields ?? {}
    if (change.action === 'create') {
      const schema = WRITE_SCHEMAS[name]
      if (!schema) throw new ConcurHttpError(400, `${name} cannot be created`)
      const body = schema.safeParse(fields)
      if (!body.success) throw new ConcurHttpError(400, z.prettifyError(body.error))
      let owner: number | undefined
      if (change.user !== undefined) {
        owner = userIndexOfLogin(ds, change.user)
        if (owner === undefined) throw new ConcurHttpError(400, `no user '${change.user}'`)
      }
      const id = nextCreatedId(ds, provider, overlay)
      const rec = buildCreated(
        ds,
        overlaysOf(state),
        name,
        keys,
        body.data as Record<string, unknown>,
        owner ?? 0,
        id,
        now,
      )
      overlay.add(rec)
      return c.json({ ID: id, record: rec.record })
    }
    if (!change.id) throw new ConcurHttpError(400, 'id is required')
    if (change.action === 'submit' || change.action === 'approve' || change.action === 'send-back') {
      if (name !== 'expense-reports')
        throw new ConcurHttpError(400, `${change.action} applies to expense-reports only`)
      const out = await reportWorkflowAction(
        state,
        company,
        change.id,
        change.action,
        change.comment === undefined ? {} : { comment: change.comment },
      )
      return c.json(
        {
          ID: out.record.ID,
          status: out.status,
          message: out.message,
          record: out.record,
          deliveries: out.deliveries,
        },
        out.status === 'SUCCESS' ? 200 : 409,
      )
    }
    const found = findRecord(ds, provider, overlay, change.id)
    if (!found) throw new ConcurHttpError(404, `no ${name} record '${change.id}'`)
    if (change.action === 'delete') {
      if (found.created) overlay.replaceCreated(found.created, null)
      else overlay.patch(found.index, null)
      return c.json({ ID: change.id, record: null })
    }
    const rec = { ...found.record }
    for (const [k, v] of Object.entries(fields)) {
      if (!keys.includes(k) || k === 'ID' || k === 'URI')
        throw new ConcurHttpError(400, `${name} has no field '${k}'`)
      rec[k] = v
    }
    stampModified(name, rec, now)
    if (found.created) overlay.replaceCreated(found.created, rec)
    else overlay.patch(found.index, rec)
    return c.json({ ID: change.id, record: rec })
  })
  return app
}
