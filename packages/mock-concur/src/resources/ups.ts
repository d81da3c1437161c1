import {
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_LIST_RESPONSE,
  SCIM_USER_SCHEMA,
  UPS_BULK_MAX_BYTES,
  UPS_EXTENSION_SCHEMAS,
  UPS_PROVISION_STATUS_SCHEMA,
  UPS_SPEND_USER_SCHEMA,
  UPS_TRAVEL_USER_SCHEMA,
  UpsBulkRequest,
  type UpsExtensionStatus,
  type UpsOperationStatus,
  type UpsProvisionStatus,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf } from '../dataset/dataset.js'
import { publishEvent } from '../events/store.js'
import { requireToken } from '../oauth/guard.js'
import type { MockState } from '../state.js'
import { uuidFrom } from '../util/hash.js'
import { identityUserAt } from './identity-users.js'
import { ScimHttpError, scimError } from './scim-error.js'
import {
  createUser,
  type DirectoryEntry,
  deleteUser,
  derivedExtensions,
  directoryOf,
  indexOfId,
  PROVISION_DELAY_SECONDS,
  parsePatchBody,
  patchUser,
  readJsonBody,
  replaceUser,
  unresolvedApprovers,
  type WriteResult,
  type WriteScope,
  writtenIdentity,
} from './ups-directory.js'

type Json = Record<string, unknown>

/** The provisioning topic of the Event Subscription Service. */
export const PROVISIONING_TOPIC = 'public.concur.user.provisioning'
/** How long Concur keeps a provision's status (7 days). */
const STATUS_KEPT_MS = 7 * 86_400_000

/** The outcome of one extension of one operation. */
interface ExtensionOutcome {
  readonly name: string
  readonly result: 'success' | 'no-op' | 'error'
  readonly code: string
  readonly messages?: { code: string; message: string; schemaPath?: string; type: 'error' }[]
}

/** One operation of a provision: its identity part ran at once; its extensions complete later. */
interface OperationRecord {
  readonly id: string
  readonly bulkId: string
  /** HTTP code of the operation ("200", "201", "204", "400", "404", "409", …). */
  readonly code: string
  readonly success: boolean
  readonly resourceId: string | null
  readonly extensions: readonly ExtensionOutcome[]
  /** Applies the operation's extensions when the provision completes. */
  readonly apply: (() => void) | undefined
}

/** A provision request (`/Users` write or `/Bulk`), kept 7 days. */
interface Provision {
  readonly id: string
  readonly companyId: string
  readonly type: 'User' | 'Bulk'
  readonly correlationId: string
  readonly createdMs: number
  readonly dueMs: number
  completedMs: number | undefined
  readonly operations: readonly OperationRecord[]
}

/** The provisions of a mock; completes them on the mock clock (timer and `advance()`), publishing the ESS event. */
class ProvisionStore {
  readonly provisions = new Map<string, Provision>()
  #counter = 0
  #timer: NodeJS.Timeout | undefined

  constructor(readonly state: MockState) {
    state.clock.onAdvance(() => this.settle())
  }

  nextId(companyId: string): string {
    return uuidFrom(this.state.options.seed, companyId, 'ups-provision', this.#counter++)
  }

  add(p: Provision): void {
    this.provisions.set(p.id, p)
    this.#arm()
  }

  /** Completes every provision that is due on the mock clock; drops those older than 7 days. */
  settle(): void {
    const now = this.state.clock.now()
    for (const p of this.provisions.values()) {
      if (p.completedMs === undefined && p.dueMs <= now) {
        for (const op of p.operations) op.apply?.()
        p.completedMs = p.dueMs
        const company = this.state.company(p.companyId)
        if (company) {
          publishEvent(this.state, {
            companyId: p.companyId,
            topic: PROVISIONING_TOPIC,
            eventType: 'provisionCompleted',
            correlationId: p.correlationId,
            extra: { subtopic: p.id, groups: null, scopes: null, data: '' },
            facts: {
              originator: 'com.concur.provisioning',
              provisionId: p.id,
              provisionStatusHref: statusUrl(this.state, company, p.id),
              success: p.operations.every(
                (o) => o.success && o.extensions.every((e) => e.result !== 'error'),
              ),
            },
          })
        }
      }
      if (p.createdMs + STATUS_KEPT_MS <= now) this.provisions.delete(p.id)
    }
    this.#arm()
  }

  /** A real-time timer for the next due provision (the mock clock also runs in real time). */
  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    let next = Number.POSITIVE_INFINITY
    for (const p of this.provisions.values()) if (p.completedMs === undefined) next = Math.min(next, p.dueMs)
    if (next === Number.POSITIVE_INFINITY) return
    this.#timer = setTimeout(() => this.settle(), Math.max(0, next - this.state.clock.now()) + 5)
    this.#timer.unref()
  }

  reset(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.provisions.clear()
    this.#counter = 0
  }
}

function provisionsOf(state: MockState): ProvisionStore {
  return state.store('ups-provisions', () => new ProvisionStore(state))
}

function statusUrl(state: MockState, company: MockCompany, id: string): string {
  return `${state.baseUrl(company.datacenter)}/profile/v4/provisions/${id}/status`
}

/** UPS time stamps: `2021-04-26T16:29:38.459+0000`. */
const upsTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000')

/**
 * The extension outcomes of an operation: the core and enterprise parts ran (`success`), every
 * extension the request carried is applied later (`success`, or `error` when an approver names no
 * user of the company: that extension is then not applied), the others are `no-op`.
 */
function outcomesOf(scope: WriteScope, extensions: Json): ExtensionOutcome[] {
  const out: ExtensionOutcome[] = [
    { name: SCIM_USER_SCHEMA, result: 'success', code: '200' },
    { name: SCIM_ENTERPRISE_SCHEMA, result: 'success', code: '200' },
  ]
  for (const urn of UPS_EXTENSION_SCHEMAS) {
    if (!(urn in extensions)) {
      out.push({ name: urn, result: 'no-op', code: '200' })
      continue
    }
    const missing = urn.endsWith(':Approver') ? unresolvedApprovers(scope, { [urn]: extensions[urn] }) : []
    out.push(
      missing.length === 0
        ? { name: urn, result: 'success', code: '200' }
        : {
            name: urn,
            result: 'error',
            code: '400',
            messages: missing.map((m) => ({
              code: 'INVALID_VALUE',
              message: `Invalid '${urn}:approver' value ${m}: not a user of this company`,
              schemaPath: `${urn}:approver`,
              type: 'error' as const,
            })),
          },
    )
  }
  return out
}

/** The operation record of a write that ran; its extensions are applied when the provision completes. */
function recordOf(
  scope: WriteScope,
  n: number,
  bulkId: string | undefined,
  code: string,
  w: WriteResult | undefined,
  entry?: DirectoryEntry,
): OperationRecord {
  const target = w?.entry ?? entry
  const outcomes = w
    ? outcomesOf(scope, w.extensions)
    : [{ name: SCIM_USER_SCHEMA, result: 'success' as const, code }]
  return {
    id: String(n),
    bulkId: bulkId ?? 'gen-temp-bulk-id',
    code,
    success: true,
    resourceId: target?.id ?? null,
    extensions: outcomes,
    apply: w
      ? () => {
          const e = w.entry
          for (const o of outcomes) {
            if (o.result !== 'success' || !(o.name in w.extensions)) continue
            e.provisioned[o.name] = w.extensions[o.name]
          }
          // A full replace (PUT) of the extensions removes those it left out.
          if (w.replacedExtensions)
            for (const k of Object.keys(e.provisioned)) if (!(k in e.extensions)) delete e.provisioned[k]
        }
      : undefined,
  }
}

function failedRecord(n: number, bulkId: string | undefined, err: unknown): OperationRecord {
  const e =
    err instanceof ScimHttpError
      ? err
      : new ScimHttpError(500, 'Internal Server Error', undefined, 'INTERNAL_ERROR')
  return {
    id: String(n),
    bulkId: bulkId ?? 'gen-temp-bulk-id',
    code: String(e.status),
    success: false,
    resourceId: null,
    extensions: [
      {
        name: SCIM_USER_SCHEMA,
        result: 'error',
        code: String(e.status),
        messages: [{ code: e.code, message: e.detail, type: 'error' }],
      },
    ],
    apply: undefined,
  }
}

/**
 * Renders a provision's status. Pending: `status.completed` false, `success` null, every operation
 * counted as pending. Completed: operations counted as success or failed (an operation whose
 * extension failed counts as failed).
 */
function renderStatus(
  state: MockState,
  company: MockCompany,
  p: Provision,
  withOperations: { startIndex: number; count: number; state: string | undefined } | undefined,
): UpsProvisionStatus {
  const done = p.completedMs !== undefined
  const opOk = (o: OperationRecord) => o.success && o.extensions.every((e) => e.result !== 'error')
  const failed = p.operations.filter((o) => !o.success).length
  const counts = done
    ? {
        total: p.operations.length,
        success: p.operations.filter(opOk).length,
        failed: p.operations.filter((o) => !opOk(o)).length,
        pending: 0,
      }
    : { total: p.operations.length, success: 0, failed, pending: p.operations.length - failed }
  const body: UpsProvisionStatus = {
    schemas: [UPS_PROVISION_STATUS_SCHEMA],
    id: p.id,
    operationsCount: counts,
    status: { completed: done, success: done ? counts.failed === 0 : null },
    meta: {
      location: statusUrl(state, company, p.id),
      created: upsTime(p.createdMs),
      lastModified: upsTime(p.completedMs ?? p.createdMs),
      provisionType: p.type,
      resourceType: 'ProvisionRequest',
      correlationId: p.correlationId,
      ...(done ? { completed: upsTime(p.completedMs!) } : {}),
    },
  }
  if (!withOperations) return body
  const stateOf = (o: OperationRecord) =>
    !o.success ? 'failed' : done ? (opOk(o) ? 'success' : 'failed') : 'pending'
  const selected = p.operations.filter(
    (o) => withOperations.state === undefined || stateOf(o) === withOperations.state,
  )
  const page = selected.slice(
    withOperations.startIndex - 1,
    withOperations.startIndex - 1 + withOperations.count,
  )
  const operations: UpsOperationStatus[] = page.map((o) => {
    const opDone = done || !o.success
    const extensions: UpsExtensionStatus[] = o.extensions.map((e) => {
      const extDone = done || e.result === 'error' || !o.success
      return {
        name: e.name,
        status: extDone
          ? { completed: true, success: e.result !== 'error', code: e.code, result: e.result }
          : { completed: false, success: null },
        ...(extDone && e.messages ? { messages: e.messages } : {}),
      }
    })
    return {
      id: o.id,
      bulkId: o.bulkId,
      status: opDone
        ? { completed: true, success: o.success && (!done || opOk(o)), code: o.code }
        : { completed: false, success: null },
      resource: { id: o.resourceId, type: 'User' },
      extensions,
    }
  })
  return {
    ...body,
    totalResults: selected.length,
    itemsPerPage: page.length,
    startIndex: withOperations.startIndex,
    operations,
  }
}

const intParam = (name: string, v: string | undefined, min: number): number | undefined => {
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v.trim()) || Number(v) < min)
    throw new ScimHttpError(400, `'${name}' must be an integer ≥ ${min}`, 'invalidValue')
  return Number(v)
}

/**
 * User Provisioning v4 (`/profile/v4`): `POST /Users`, `PUT`/`PATCH`/`DELETE /Users/{id}`,
 * `POST /Bulk` (1–100 operations, ≤ 400 KB) and `GET /provisions/{id}/status`. The identity part of a
 * write runs at once (the user exists, signs in, and shows in Identity and the legacy users views);
 * the spend/payroll/travel extensions complete {@link PROVISION_DELAY_SECONDS} later on the mock clock,
 * when `public.concur.user.provisioning` `provisionCompleted` is published. Company tokens only.
 *
 * @example
 * app.route('/', upsRoutes(ctx))
 */
export function upsRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.onError((err, c) => scimError(c, err))
  const guard = requireToken(ctx)
  const base = () => ctx.state.baseUrl(ctx.datacenter)

  const scopeOf = (c: Context<MockEnv>, what: 'write' | 'read' | 'delete'): WriteScope => {
    const principal = c.get('principal')
    if (principal.type !== 'company')
      throw new ScimHttpError(
        403,
        'User Provisioning v4 accepts company-level access tokens only; this is a user token',
        undefined,
        'FORBIDDEN',
      )
    const s = principal.scopes
    const needed = {
      write: 'user.provision.write',
      read: 'user.provision.read',
      delete: 'identity.user.delete',
    }[what]
    // The mock's apps hold Connect scopes: `USER` stands for the UPS scopes.
    if (!s.has('USER') && !s.has(needed))
      throw new ScimHttpError(403, `The token lacks the ${needed} scope`, undefined, 'FORBIDDEN')
    provisionsOf(ctx.state).settle()
    return { state: ctx.state, company: principal.company, api: 'ups' }
  }

  const startProvision = (
    scope: WriteScope,
    type: Provision['type'],
    operations: OperationRecord[],
    correlationId: string,
  ): Provision => {
    const store = provisionsOf(ctx.state)
    const now = ctx.state.clock.now()
    const p: Provision = {
      id: store.nextId(scope.company.id),
      companyId: scope.company.id,
      type,
      correlationId,
      createdMs: now,
      dueMs: now + PROVISION_DELAY_SECONDS * 1000,
      completedMs: undefined,
      operations,
    }
    store.add(p)
    return p
  }

  const userAnswer = (c: Context<MockEnv>, scope: WriteScope, w: WriteResult, status: 200 | 201) => {
    const p = startProvision(
      scope,
      'User',
      [recordOf(scope, 1, undefined, String(status), w)],
      c.get('correlationId') ?? crypto.randomUUID(),
    )
    const user = writtenIdentity(w.entry, `${base()}/profile/identity/v4/Users/${w.entry.id}`)
    return c.json(
      {
        ...user,
        meta: {
          ...(user.meta as Json),
          statusUrl: statusUrl(ctx.state, scope.company, p.id),
          provisionId: p.id,
        },
      },
      status,
    )
  }

  for (const path of ['/profile/v4/Users', '/profile/v4/Users/']) {
    app.post(path, guard, async (c) => {
      const scope = scopeOf(c, 'write')
      return userAnswer(c, scope, createUser(scope, await readJsonBody(c)), 201)
    })
  }
  for (const path of ['/profile/v4/Users/:id', '/profile/v4/Users/:id/']) {
    app.put(path, guard, async (c) => {
      const scope = scopeOf(c, 'write')
      return userAnswer(c, scope, replaceUser(scope, c.req.param('id') ?? '', await readJsonBody(c)), 200)
    })
    app.patch(path, guard, async (c) => {
      const scope = scopeOf(c, 'write')
      const ops = parsePatchBody(await readJsonBody(c), true)
      return userAnswer(c, scope, patchUser(scope, c.req.param('id') ?? '', ops), 200)
    })
    app.delete(path, guard, (c) => {
      const scope = scopeOf(c, 'delete')
      deleteUser(scope, c.req.param('id') ?? '')
      return c.body(null, 204)
    })
  }

  for (const path of ['/profile/v4/Bulk', '/profile/v4/Bulk/']) {
    app.post(path, guard, async (c) => {
      const scope = scopeOf(c, 'write')
      const url = new URL(c.req.url)
      for (const k of url.searchParams.keys())
        if (k !== 'companyId') throw new ScimHttpError(400, `Unknown parameter '${k}'`, 'invalidValue')
      const companyId = url.searchParams.get('companyId')
      if (companyId !== null && companyId.toLowerCase() !== scope.company.id.toLowerCase())
        throw new ScimHttpError(
          400,
          `companyId ${companyId} is not the company of the access token`,
          'invalidValue',
        )
      const text = await c.req.text()
      if (Buffer.byteLength(text) > UPS_BULK_MAX_BYTES)
        throw new ScimHttpError(
          413,
          `A bulk request is limited to ${UPS_BULK_MAX_BYTES} bytes`,
          'tooLarge',
          'TOO_LARGE',
        )
      let raw: unknown
      try {
        raw = JSON.parse(text)
      } catch {
        throw new ScimHttpError(400, 'The request body is not JSON', 'invalidSyntax')
      }
      const parsed = UpsBulkRequest.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        const where = issue.path.map(String).join('.')
        const tooMany = issue.code === 'too_big' && where === 'Operations'
        throw new ScimHttpError(
          tooMany ? 413 : 400,
          tooMany
            ? 'A bulk request holds at most 100 operations'
            : `Invalid BulkRequest: ${where ? `${where}: ` : ''}${issue.message}`,
          tooMany ? 'tooMany' : 'invalidSyntax',
          tooMany ? 'TOO_LARGE' : 'INVALID_INPUT',
        )
      }
      const bulk = parsed.data
      // Checks of the request as a whole: nothing runs when one fails.
      const seen = new Set<string>()
      bulk.Operations.forEach((op, i) => {
        const hasId = /^\/Users\/[^/]+\/?$/.test(op.path)
        if (op.method === 'POST' && hasId)
          throw new ScimHttpError(400, `Operations.${i}: POST goes to /Users`, 'invalidPath')
        if (op.method !== 'POST' && !hasId)
          throw new ScimHttpError(400, `Operations.${i}: ${op.method} needs /Users/{id}`, 'invalidPath')
        if (op.method === 'POST' && op.bulkId === undefined)
          throw new ScimHttpError(400, `Operations.${i}: bulkId is required for POST`, 'invalidValue')
        if (op.bulkId !== undefined) {
          if (seen.has(op.bulkId))
            throw new ScimHttpError(400, `Operations.${i}: bulkId ${op.bulkId} is not unique`, 'uniqueness')
          seen.add(op.bulkId)
        }
        if (op.method !== 'DELETE' && (op.data === null || typeof op.data !== 'object'))
          throw new ScimHttpError(400, `Operations.${i}: ${op.method} needs data`, 'invalidSyntax')
      })
      const records: OperationRecord[] = []
      let errors = 0
      const limit = bulk.failOnErrors && bulk.failOnErrors > 0 ? bulk.failOnErrors : Number.POSITIVE_INFINITY
      bulk.Operations.forEach((op, i) => {
        const n = i + 1
        if (errors >= limit) {
          records.push(
            failedRecord(
              n,
              op.bulkId,
              new ScimHttpError(
                412,
                `Not processed: failOnErrors (${bulk.failOnErrors}) was reached`,
                undefined,
                'NOT_PROCESSED',
              ),
            ),
          )
          return
        }
        const id = op.path.replace(/^\/Users\/?/, '').replace(/\/$/, '')
        try {
          switch (op.method) {
            case 'POST':
              records.push(recordOf(scope, n, op.bulkId, '201', createUser(scope, op.data)))
              break
            case 'PUT':
              records.push(recordOf(scope, n, op.bulkId, '200', replaceUser(scope, id, op.data)))
              break
            case 'PATCH':
              records.push(
                recordOf(scope, n, op.bulkId, '200', patchUser(scope, id, parsePatchBody(op.data, false))),
              )
              break
            default:
              records.push(recordOf(scope, n, op.bulkId, '204', undefined, deleteUser(scope, id)))
          }
        } catch (err) {
          errors++
          records.push(failedRecord(n, op.bulkId, err))
        }
      })
      const p = startProvision(scope, 'Bulk', records, c.get('correlationId') ?? crypto.randomUUID())
      return c.json(renderStatus(ctx.state, scope.company, p, undefined), 202)
    })
  }

  const statusRoute = (c: Context<MockEnv>) => {
    const scope = scopeOf(c, 'read')
    const url = new URL(c.req.url)
    for (const k of url.searchParams.keys())
      if (!['attributes', 'startIndex', 'count', 'state'].includes(k))
        throw new ScimHttpError(400, `Unknown parameter '${k}'`, 'invalidValue')
    const attributes = url.searchParams.get('attributes')
    if (attributes !== null && attributes !== 'operations')
      throw new ScimHttpError(400, `Invalid attribute path [${attributes}]`, 'invalidPath')
    const state = url.searchParams.get('state') ?? undefined
    if (state !== undefined && !['pending', 'success', 'failed'].includes(state))
      throw new ScimHttpError(400, "'state' must be pending, success or failed", 'invalidValue')
    const startIndex = intParam('startIndex', url.searchParams.get('startIndex') ?? undefined, 1) ?? 1
    const count = intParam('count', url.searchParams.get('count') ?? undefined, 0) ?? 100
    const p = provisionsOf(ctx.state).provisions.get(c.req.param('id') ?? '')
    if (!p || p.companyId !== scope.company.id)
      throw new ScimHttpError(404, `Provision ${c.req.param('id') ?? ''} not found`, undefined, 'NOT_FOUND')
    return c.json(
      renderStatus(
        ctx.state,
        scope.company,
        p,
        attributes === 'operations' ? { startIndex, count, state } : undefined,
      ),
    )
  }
  app.get('/profile/v4/provisions/:id/status', guard, statusRoute)
  app.get('/profile/v4/provisions/:id/status/', guard, statusRoute)

  // The spend and travel profiles (the retrieval endpoints of reference §2.3): the extensions as
  // provisioned over a profile derived for the seeded users.
  // Spend User Retrieval answers its own error body (status an integer).
  const spend = new Hono<MockEnv>()
  spend.onError((err, c) => scimError(c, err, 'spend'))
  spend.get('/profile/spend/v4.1/Users', guard, (c) => {
    const scope = scopeOf(c, 'read')
    const url = new URL(c.req.url)
    for (const k of url.searchParams.keys())
      if (!['startIndex', 'count', 'filter'].includes(k))
        throw new ScimHttpError(400, `Unknown parameter '${k}'`, 'invalidValue')
    const startIndex = intParam('startIndex', url.searchParams.get('startIndex') ?? undefined, 1) ?? 1
    const count = intParam('count', url.searchParams.get('count') ?? undefined, 1) ?? 100
    if (count > 100) throw new ScimHttpError(400, "'count' must be 1..100", 'invalidValue')
    const filter = url.searchParams.get('filter')
    let Resources: Json[]
    let total: number
    if (filter === null) {
      // A page of the walk order by position: no array of every user index per request (50,000
      // entries for a 1M-report company, a third of a page's cost).
      const { seeded, provisioned } = userWalkOf(ctx.state, scope.company)
      total = seeded + provisioned.length
      Resources = []
      for (let i = startIndex - 1; i < Math.min(total, startIndex - 1 + count); i++)
        Resources.push(spendProfileAt(scope, i < seeded ? i : provisioned[i - seeded]!))
    } else {
      // Every profile is built to be tested, but only the page's are kept (not the company's users).
      const test = spendFilter(filter)
      Resources = []
      total = 0
      for (const u of userIndexesOf(ctx.state, scope.company)) {
        const profile = spendProfileAt(scope, u)
        if (!test(profile)) continue
        total++
        if (total >= startIndex && Resources.length < count) Resources.push(profile)
      }
    }
    return c.json({
      schemas: [SCIM_LIST_RESPONSE],
      totalResults: total,
      Resources,
      startIndex,
      itemsPerPage: Resources.length,
    })
  })
  spend.get('/profile/spend/v4.1/Users/:id', guard, (c) => {
    const scope = scopeOf(c, 'read')
    return c.json(spendProfileAt(scope, indexOfId(scope, c.req.param('id') ?? '')))
  })
  spend.all('/profile/spend/*', (c) => {
    throw new ScimHttpError(
      404,
      `No Spend endpoint ${c.req.method} ${new URL(c.req.url).pathname}`,
      undefined,
      'NOT_FOUND',
    )
  })
  app.route('/', spend)
  app.get('/profile/travel/v4/Users/:id', guard, (c) => {
    const scope = scopeOf(c, 'read')
    const { id, extensions } = profileAt(scope, indexOfId(scope, c.req.param('id') ?? ''))
    if (!(UPS_TRAVEL_USER_SCHEMA in extensions))
      throw new ScimHttpError(404, `User ${id} has no travel profile`, undefined, 'NOT_FOUND')
    return c.json({ id, [UPS_TRAVEL_USER_SCHEMA]: extensions[UPS_TRAVEL_USER_SCHEMA] })
  })

  app.all('/profile/travel/*', (c) => {
    throw new ScimHttpError(
      404,
      `No Travel profile endpoint ${c.req.method} ${new URL(c.req.url).pathname}`,
      undefined,
      'NOT_FOUND',
    )
  })
  app.all('/profile/v4/*', (c) => {
    throw new ScimHttpError(
      404,
      `No User Provisioning endpoint ${c.req.method} ${new URL(c.req.url).pathname}`,
      undefined,
      'NOT_FOUND',
    )
  })
  return app
}

/** The spend and travel profile of user `u`: the derived profile of a seeded user, then what was provisioned. */
function profileAt(scope: WriteScope, u: number): { id: string; externalId: unknown; extensions: Json } {
  const ds = datasetOf(scope.state.options.seed, scope.company)
  const entry = directoryOf(scope.state).entry(scope.company, u)
  // A seeded user not written since: the one seeded identity serves both (built once, not twice).
  const seeded = entry?.identity === undefined && u < ds.users ? identityUserAt(ds, u, '', 'v4.1') : undefined
  const identity = entry?.identity ?? ((seeded ?? identityUserAt(ds, u, '', 'v4.1')) as Json)
  return {
    id: String(identity.id),
    externalId: identity.externalId ?? null,
    extensions: { ...derivedExtensions(scope, u, seeded), ...(entry?.provisioned ?? {}) },
  }
}

/**
 * User `u`'s spend profile as `GET /profile/spend/v4.1/Users/{id}` returns it (the `spend-users`
 * row's records).
 *
 * @example
 * spendProfileAt({ state, company, api: 'ups' }, 2)['urn:ietf:params:scim:schemas:extension:spend:2.0:User']
 */
export function spendProfileAt(scope: WriteScope, u: number): Json {
  const { id, externalId, extensions } = profileAt(scope, u)
  const spend = UPS_EXTENSION_SCHEMAS.filter((urn) => urn !== UPS_TRAVEL_USER_SCHEMA && urn in extensions)
  return {
    schemas: ['urn:com.concur.spend.user.model.scim.ScimResource', ...spend],
    id,
    externalId,
    meta: null,
    ...Object.fromEntries(spend.map((urn) => [urn, extensions[urn]])),
  }
}

/**
 * A company's users in Identity's walk order: the seeded indexes `0 … seeded − 1`, then the
 * provisioned ones (deleted ones left out).
 */
function userWalkOf(state: MockState, company: MockCompany): { seeded: number; provisioned: number[] } {
  const seeded = datasetOf(state.options.seed, company).users
  return {
    seeded,
    provisioned: directoryOf(state)
      .writtenIndexes(company)
      .filter((u) => u >= seeded),
  }
}

/** Every user index of a company in Identity's walk order: seeded, then provisioned (deleted ones left out). */
export function userIndexesOf(state: MockState, company: MockCompany): number[] {
  const { seeded, provisioned } = userWalkOf(state, company)
  return [...Array.from({ length: seeded }, (_, u) => u), ...provisioned]
}

/** The spend attributes the list's `filter` takes (`eq`, `ne`), reference §2.3. */
const SPEND_FILTERABLE = [
  'cashAdvanceAccountCode',
  'country',
  'ledgerCode',
  'locale',
  'nonEmployee',
  'reimbursementCurrency',
  'reimbursementType',
  'stateProvince',
  'testEmployee',
]

/** Parses `[urn:…:spend:2.0:User:]attr (eq|ne) value` into a predicate on a spend profile. */
function spendFilter(text: string): (profile: Json) => boolean {
  const m = new RegExp(
    `^\\s*(?:${UPS_SPEND_USER_SCHEMA.replace(/[.:]/g, '\\$&')}:)?([A-Za-z]+)\\s+(eq|ne)\\s+("(?:[^"\\\\]|\\\\.)*"|true|false)\\s*$`,
    'i',
  ).exec(text)
  const attr = SPEND_FILTERABLE.find((a) => a.toLowerCase() === m?.[1]?.toLowerCase())
  if (!m || !attr)
    throw new ScimHttpError(
      400,
      `Unsupported filter; use <attribute> eq|ne <value> on ${SPEND_FILTERABLE.join(', ')}`,
      'invalidFilter',
    )
  const raw = m[3]!
  const value: unknown = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw === 'true'
  const eq = m[2]!.toLowerCase() === 'eq'
  return (profile) => {
    const v = ((profile[UPS_SPEND_USER_SCHEMA] ?? {}) as Json)[attr]
    const same =
      typeof v === 'string' && typeof value === 'string'
        ? v.toLowerCase() === value.toLowerCase()
        : v === value
    return eq ? same : !same
  }
}
