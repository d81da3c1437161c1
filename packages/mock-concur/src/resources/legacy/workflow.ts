import {
  PENDING_APPROVAL_STATUSES,
  REPORT_WORKFLOW_ACTION,
  UNSUBMITTED_APPROVAL_STATUSES,
  WorkflowActionBody,
} from '@concurkit/contract'
import { XMLParser } from 'fast-xml-parser'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { type DeliveryResult, notifyReportEvent } from '../../callouts/deliver.js'
import type { MockCompany } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { datasetOf, userOf } from '../../dataset/dataset.js'
import { profileOf } from '../../dataset/expense.js'
import { providerOf } from '../../dataset/providers.js'
import { formatV3Date } from '../../dataset/time.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { Principal } from '../../principal.js'
import type { MockState } from '../../state.js'
import { overlaysOf } from '../engine.js'
import { findRecord, stampModified } from '../writes.js'
import { NIL, readQuery, xmlDocument, xmlResponse } from './http.js'
import { routePath } from './rows-kit.js'

/** A workflow action on an expense report. */
export const WorkflowActionName = z.enum(['submit', 'approve', 'send-back', 'recall'])
export type WorkflowActionName = z.infer<typeof WorkflowActionName>

/** Approval statuses a report can be submitted from. */
const SUBMITTABLE = new Set<string>(UNSUBMITTED_APPROVAL_STATUSES)
/** Approval statuses of a report waiting in a workflow step (an approver may approve or send back). */
const PENDING = new Set<string>(PENDING_APPROVAL_STATUSES)

/** Workflow step named in the notification's `EventType` for each action that notifies. */
const EVENT_STEP: Partial<Record<WorkflowActionName, string>> = { submit: 'SUBMIT', approve: 'APPROVE' }

/** The outcome of a workflow action. */
export interface WorkflowOutcome {
  /** `SUCCESS`, or `FAILURE` when the report's status does not allow the action (nothing changed). */
  readonly status: 'SUCCESS' | 'FAILURE'
  /** Why the action failed; null on success. */
  readonly message: string | null
  /** The report after the action (v3.0 item, without `URI`). */
  readonly record: Record<string, unknown>
  /** Event notifications sent to the company's connectors (submit and approve only). */
  readonly deliveries: readonly DeliveryResult[]
}

/** Options of {@link reportWorkflowAction}. */
export interface WorkflowOptions {
  /** Becomes the report's `LastComment` (required for `send-back`). */
  readonly comment?: string
  /** Who acts (an API caller); absent for the admin API, which may do anything. */
  readonly actor?: Principal
}

/**
 * Moves an expense report through its workflow as Concur would: `submit` (Not Submitted or Returned
 * → `A_PEND`, `SubmitDate` and approver set), `approve` (pending → `A_APPR`), `send-back` (pending
 * → `A_RESU`, `EverSentBack`) or `recall` (by the owner, `A_PEND` → `A_RESU` "Recalled"). The change goes through the v3.0 write overlay (modification date on
 * the mock clock, page-cache generation bumped, v3.0/v2.0 reads show it); then `submit` and
 * `approve` notify every connector of the company that has an Event Notification callout.
 * Unknown report → 404; an actor who is neither administrator nor the report's approver (owner for
 * `submit`) → 403.
 *
 * @example
 * const out = await reportWorkflowAction(state, state.companies[0]!, reportId, 'submit')
 * out.record.ApprovalStatusCode // 'A_PEND'
 */
export async function reportWorkflowAction(
  state: MockState,
  company: MockCompany,
  reportId: string,
  action: WorkflowActionName,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  const provider = providerOf('expense-reports')
  if (!provider) throw new ConcurHttpError(500, 'expense reports are not available')
  const ds = datasetOf(state.options.seed, company)
  const overlay = overlaysOf(state).of(company.id, 'expense-reports')
  const found =
    findRecord(ds, provider, overlay, reportId) ?? findRecord(ds, provider, overlay, reportId.toUpperCase())
  if (!found) throw new ConcurHttpError(404, `Report ${reportId} was not found`)
  const record = found.record
  const id = String(record.ID)
  const actor = options.actor
  if (actor && !actor.isAdmin) {
    const login = actor.user?.loginId.toLowerCase()
    const allowed =
      action === 'submit' || action === 'recall'
        ? String(record.OwnerLoginID ?? '').toLowerCase() === login
        : String(record.ApproverLoginID ?? '').toLowerCase() === login
    if (!allowed)
      throw new ConcurHttpError(
        403,
        action === 'submit' || action === 'recall'
          ? `Forbidden Request: only the report owner or an administrator may ${action} this report`
          : "Forbidden Request: only the report's approver or an administrator may approve or send back this report",
      )
  }
  const code = String(record.ApprovalStatusCode ?? '')
  const fail = (message: string): WorkflowOutcome => ({
    status: 'FAILURE',
    message,
    record,
    deliveries: [],
  })
  if (action === 'send-back' && !options.comment?.trim())
    return fail('A comment is required to send a report back')
  if (action === 'submit' && !SUBMITTABLE.has(code))
    return fail(`Report ${id} cannot be submitted: its status is ${record.ApprovalStatusName ?? code}`)
  if (action === 'recall' && code !== 'A_PEND')
    return fail(`Report ${id} cannot be recalled: its status is ${record.ApprovalStatusName ?? code}`)
  if (action !== 'submit' && !PENDING.has(code))
    return fail(`Report ${id} is not pending approval: its status is ${record.ApprovalStatusName ?? code}`)

  const now = state.clock.now()
  const rec: Record<string, unknown> = { ...record }
  if (options.comment !== undefined && options.comment.trim() !== '') rec.LastComment = options.comment
  if (action === 'submit') {
    const owner = found.owner ?? 0
    const approverIndex = found.created ? (owner === 1 ? 0 : 1) : profileOf(ds, found.index).approver
    const approver = userOf(ds, approverIndex)
    Object.assign(rec, {
      SubmitDate: formatV3Date(now),
      ApproverLoginID: approver.loginId,
      ApproverName: `${approver.firstName} ${approver.lastName}`,
      ApprovalStatusCode: 'A_PEND',
      ApprovalStatusName: 'Submitted & Pending Approval',
    })
  } else if (action === 'approve') {
    Object.assign(rec, {
      ApprovalStatusCode: 'A_APPR',
      ApprovalStatusName: 'Approved',
      TotalApprovedAmount: rec.TotalClaimedAmount ?? rec.TotalApprovedAmount ?? 0,
    })
  } else if (action === 'recall') {
    // Back to an unsubmitted state the owner can resubmit from; not a send-back.
    Object.assign(rec, { ApprovalStatusCode: 'A_RESU', ApprovalStatusName: 'Recalled' })
  } else {
    Object.assign(rec, { ApprovalStatusCode: 'A_RESU', ApprovalStatusName: 'Returned', EverSentBack: true })
  }
  stampModified('expense-reports', rec, now)
  if (found.created) overlay.replaceCreated(found.created, rec)
  else overlay.patch(found.index, rec)

  const step = EVENT_STEP[action]
  const deliveries = step ? await notifyReportEvent(state, { company: company.id, reportId: id, step }) : []
  return { status: 'SUCCESS', message: null, record: rec, deliveries }
}

const bodyParser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignoreAttributes: true,
})

const ACTIONS: Readonly<Record<string, WorkflowActionName>> = {
  approve: 'approve',
  'send back': 'send-back',
}

/** Parses a v1.1 `WorkflowAction` body into the action and its comment; Concur's 400 otherwise. */
export function parseWorkflowActionXml(text: string): { action: WorkflowActionName; comment?: string } {
  let parsed: unknown
  try {
    parsed = bodyParser.parse(text, true)
  } catch {
    throw new ConcurHttpError(400, 'The request body is not well-formed XML')
  }
  const body = WorkflowActionBody.safeParse(parsed)
  if (!body.success) {
    const issue = body.error.issues[0]
    throw new ConcurHttpError(
      400,
      issue?.path.at(-1) === 'Comment'
        ? issue.message
        : 'The request body must be <WorkflowAction><Action>Approve|Send Back</Action><Comment>…</Comment></WorkflowAction>',
    )
  }
  const { Action, Comment } = body.data.WorkflowAction
  const action = ACTIONS[Action.trim().replace(/\s+/g, ' ').toLowerCase()]
  if (!action) throw new ConcurHttpError(400, `Invalid Action '${Action}': expected Approve or Send Back`)
  return Comment === undefined ? { action } : { action, comment: Comment }
}

/**
 * v1.1 `POST /api/expense/expensereport/v1.1/report/{reportId}/WorkFlowAction` (scope `EXPRPT`):
 * approve or send back a report as its approver (or an administrator). Answers
 * `<ActionStatus><Message/><Status>SUCCESS|FAILURE</Status></ActionStatus>` (shape UNVERIFIED).
 * Path, its other spelling, scope and element names are the contract's `REPORT_WORKFLOW_ACTION`.
 */
export function workflowRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const action = REPORT_WORKFLOW_ACTION
  const handler = async (c: Context<MockEnv>) => {
    readQuery(c, [])
    const principal = c.get('principal')
    const { action: name, comment } = parseWorkflowActionXml(await c.req.text())
    const out = await reportWorkflowAction(
      ctx.state,
      principal.company,
      c.req.param('ReportID') ?? '',
      name,
      comment === undefined ? { actor: principal } : { actor: principal, comment },
    )
    return xmlResponse(
      c,
      xmlDocument(
        action.root,
        { Message: out.message ?? NIL, Status: out.status },
        { namespace: action.namespace, xsi: true },
      ),
    )
  }
  for (const path of [action.path, ...action.aliases])
    app.post(routePath(path), requireToken(ctx, action.scope), handler)
  return app
}
