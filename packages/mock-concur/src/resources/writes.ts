import {
  AttendeeTypeWrite,
  AttendeeWrite,
  DATACENTERS,
  EntryAttendeeAssociationWrite,
  EntryWrite,
  ItemizationWrite,
  ListItemWrite,
  ListWrite,
  RESOURCES,
  ReportWrite,
} from '@concurkit/contract'
import type { z } from 'zod'
import type { MockUser } from '../companies.js'
import type { Dataset } from '../dataset/dataset.js'
import { isTestUser, userOf } from '../dataset/dataset.js'
import { groupConfigId, policyId } from '../dataset/expense.js'
import { decodeId, encodeId } from '../dataset/ids.js'
import type { CreatedRecord, DatasetOverlay, ResourceOverlay } from '../dataset/overlay.js'
import type { Provider, WireRecord } from '../dataset/providers.js'
import { providerOf } from '../dataset/providers.js'
import { ATTENDEE_TYPES, EXPENSE_TYPES } from '../dataset/tables.js'
import { formatV3Date, midnight } from '../dataset/time.js'
import { ConcurHttpError } from '../http/errors.js'

/** A record found by id: where it lives and who owns it. */
export interface FoundRecord {
  readonly index: number
  readonly record: WireRecord
  readonly owner: number | undefined
  readonly created?: CreatedRecord
}

/**
 * Finds a record of a resource by id (seeded, patched or created); undefined when unknown or deleted.
 *
 * @example
 * findRecord(ds, providerOf('expense-reports')!, overlay, id)?.record.Name
 */
export function findRecord(
  ds: Dataset,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  id: string,
): FoundRecord | undefined {
  const i = decodeId(provider.kind, ds.tag, id)
  if (i === undefined) return undefined
  const base = provider.size(ds)
  if (i < base) {
    if (overlay?.patches.has(i)) {
      const rec = overlay.patches.get(i)
      return rec ? { index: i, record: rec, owner: provider.owner?.(ds, i) } : undefined
    }
    if (!provider.exists(ds, i)) return undefined
    return { index: i, record: provider.generate(ds, i), owner: provider.owner?.(ds, i) }
  }
  const c = overlay?.created[i - base]
  return c?.record ? { index: i, record: c.record, owner: c.owner, created: c } : undefined
}

/** The schema of write bodies per resource. */
export const WRITE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'expense-reports': ReportWrite,
  'expense-entries': EntryWrite,
  'expense-itemizations': ItemizationWrite,
  'expense-attendees': AttendeeWrite,
  'expense-attendee-types': AttendeeTypeWrite,
  'entry-attendee-associations': EntryAttendeeAssociationWrite,
  'list-items': ListItemWrite,
  lists: ListWrite,
}

/** The field holding a record's last modification, per resource. */
export const MODIFIED_FIELD: Readonly<Record<string, string>> = {
  'expense-reports': 'LastModifiedDate',
  'expense-entries': 'LastModified',
  'expense-itemizations': 'LastModified',
}

const CUSTOM = /^(Custom|OrgUnit)\d+$/

/** The item schema's fields of every v3.0 endpoint (registry rows and their related endpoints), by key. */
const ITEM_FIELDS: ReadonlyMap<string, Readonly<Record<string, z.ZodType>>> = new Map(
  RESOURCES.filter((r) => r.api === 'v3.0').flatMap((r) =>
    [{ key: r.name, item: r.item }, ...(r.related ?? []).map((e) => ({ key: e.key, item: e.item }))].map(
      ({ key, item }) =>
        [key, (item as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}] as const,
    ),
  ),
)

/**
 * Turns a write-body value into the item's value: a custom/org-unit string becomes a `CustomField`
 * object only where the item documents one (reports, entries); where the item documents a string
 * (entry-attendee associations) it stays a string, whatever the field held before.
 */
function itemValue(field: z.ZodType | undefined, key: string, value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (CUSTOM.test(key) && typeof value === 'string' && field && !field.safeParse(value).success) {
    const object = { Type: 'Text', Value: value.slice(0, 48), Code: null, ListItemID: null }
    if (field.safeParse(object).success) return object
  }
  return value
}

/**
 * Applies body fields to a record of resource `key` (only fields the item has); returns a new
 * record whose fields keep the item schema's documented types.
 */
export function mergeFields(key: string, record: WireRecord, body: Record<string, unknown>): WireRecord {
  const fields = ITEM_FIELDS.get(key) ?? {}
  const out: WireRecord = { ...record }
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || !(k in record) || k === 'ID' || k === 'URI') continue
    out[k] = itemValue(fields[k], k, v)
  }
  return out
}

/** A blank record of a resource: every item field null, in the item's field order. */
export function blankRecord(keys: readonly string[]): WireRecord {
  const out: WireRecord = {}
  for (const k of keys) if (k !== 'URI') out[k] = null
  return out
}

function required(body: Record<string, unknown>, ...keys: string[]): void {
  for (const k of keys) {
    if (body[k] === undefined || body[k] === null || body[k] === '')
      throw new ConcurHttpError(400, `The field '${k}' is required`)
  }
}

function ref(ds: Dataset, overlays: DatasetOverlay, key: string, id: unknown, field: string): FoundRecord {
  const provider = providerOf(key)!
  const found =
    typeof id === 'string' ? findRecord(ds, provider, overlays.peek(ds.company.id, key), id) : undefined
  if (!found) throw new ConcurHttpError(400, `The ${field} '${String(id)}' was not found`)
  return found
}

/**
 * Builds a created record (`POST`) from a validated body: item fields in order, defaults like
 * Concur's (a new report is "Not Submitted"), relations checked, owner and hidden filter values set.
 */
export function buildCreated(
  ds: Dataset,
  overlays: DatasetOverlay,
  key: string,
  keys: readonly string[],
  body: Record<string, unknown>,
  owner: number | undefined,
  id: string,
  nowMs: number,
  /** The owner as the token service knows it (a user added at run time is not in the seeded dataset). */
  ownerUser?: MockUser,
): Omit<CreatedRecord, 'bytes'> {
  const now = formatV3Date(nowMs)
  const blank = blankRecord(keys)
  const fields = (rec: WireRecord) => mergeFields(key, rec, body)
  switch (key) {
    case 'expense-reports': {
      const u = ownerUser ?? userOf(ds, owner ?? 0)
      const rec = fields({
        ...blank,
        ...Object.fromEntries(keys.filter((k) => CUSTOM.test(k)).map((k) => [k, null])),
      })
      Object.assign(rec, {
        Name: body.Name ?? 'New Report',
        Total: 0,
        CurrencyCode: 'USD',
        Country: 'US',
        CreateDate: now,
        ReceiptsReceived: false,
        UserDefinedDate: body.UserDefinedDate ?? formatV3Date(midnight(nowMs)),
        LastComment: body.Comment ?? '',
        OwnerLoginID: u.loginId,
        OwnerName: `${u.firstName} ${u.lastName}`,
        ApprovalStatusName: 'Not Submitted',
        ApprovalStatusCode: 'A_NOTF',
        PaymentStatusName: 'Not Paid',
        PaymentStatusCode: 'P_NOTP',
        LastModifiedDate: now,
        PersonalAmount: 0,
        AmountDueEmployee: 0,
        AmountDueCompanyCard: 0,
        TotalClaimedAmount: 0,
        TotalApprovedAmount: 0,
        LedgerName: 'DEFAULT',
        PolicyID: body.PolicyID ?? policyId(ds, 0),
        EverSentBack: false,
        HasException: false,
        WorkflowActionUrl: `${DATACENTERS[ds.company.datacenter].baseUrl}/api/expense/expensereport/v1.1/report/${id}/WorkFlowAction`,
        ID: id,
      })
      const hidden = {
        hasVAT: false,
        hasImages: false,
        hasAttendees: false,
        hasBillableExpenses: false,
        isTestUser: isTestUser(owner ?? 0),
        expenseGroupConfigID: groupConfigId(ds, 0),
      }
      return { record: rec, owner, hidden }
    }
    case 'expense-entries': {
      required(
        body,
        'ReportID',
        'ExpenseTypeCode',
        'TransactionAmount',
        'TransactionCurrencyCode',
        'TransactionDate',
      )
      const report = ref(ds, overlays, 'expense-reports', body.ReportID, 'ReportID')
      const type = EXPENSE_TYPES[body.ExpenseTypeCode as keyof typeof EXPENSE_TYPES]
      if (!type)
        throw new ConcurHttpError(400, `The expense type '${String(body.ExpenseTypeCode)}' is not valid`)
      const rec = fields(blank)
      const amount = body.TransactionAmount as number
      Object.assign(rec, {
        ReportOwnerID: report.record.OwnerLoginID,
        ExpenseTypeName: type.name,
        SpendCategoryCode: type.spendCode,
        SpendCategoryName: type.spendName,
        ExchangeRate: body.ExchangeRate ?? 1,
        PostedAmount: amount,
        ApprovedAmount: amount,
        IsPersonal: body.IsPersonal ?? false,
        IsBillable: body.IsBillable ?? false,
        IsPersonalCardCharge: false,
        HasImage: false,
        IsImageRequired: false,
        ReceiptReceived: false,
        HasItemizations: false,
        AllocationType: 'N',
        HasVAT: false,
        HasAppliedCashAdvance: false,
        HasAttendees: false,
        HasComments: typeof body.Comment === 'string',
        HasExceptions: false,
        IsPaidByExpensePay: false,
        LastModified: now,
        ID: id,
      })
      return { record: rec, owner: report.owner, hidden: {} }
    }
    case 'expense-itemizations': {
      required(body, 'EntryID', 'ExpenseTypeCode', 'TransactionAmount', 'TransactionDate')
      const entry = ref(ds, overlays, 'expense-entries', body.EntryID, 'EntryID')
      const type = EXPENSE_TYPES[body.ExpenseTypeCode as keyof typeof EXPENSE_TYPES]
      if (!type)
        throw new ConcurHttpError(400, `The expense type '${String(body.ExpenseTypeCode)}' is not valid`)
      const rec = fields(blank)
      Object.assign(rec, {
        ReportID: entry.record.ReportID,
        ReportOwnerID: entry.record.ReportOwnerID,
        ExpenseTypeName: type.name,
        SpendCategoryCode: type.spendCode,
        SpendCategoryName: type.spendName,
        PostedAmount: body.TransactionAmount,
        ApprovedAmount: body.TransactionAmount,
        IsPersonal: body.IsPersonal ?? false,
        IsBillable: body.IsBillable ?? false,
        IsImageRequired: false,
        AllocationType: 'N',
        HasComments: typeof body.Comment === 'string',
        HasExceptions: false,
        LastModified: now,
        ID: id,
      })
      return { record: rec, owner: entry.owner, hidden: {} }
    }
    case 'expense-attendees': {
      required(body, 'AttendeeTypeID', 'LastName')
      const type = ref(ds, overlays, 'expense-attendee-types', body.AttendeeTypeID, 'AttendeeTypeID')
      const u = ownerUser ?? userOf(ds, owner ?? 0)
      const rec = fields(blank)
      Object.assign(rec, {
        AttendeeTypeCode: type.record.Code,
        HasExceptionsPrevYear: false,
        HasExceptionsYTD: false,
        TotalAmountPrevYear: 0,
        TotalAmountYTD: body.TotalAmountYTD ?? 0,
        VersionNumber: 1,
        OwnerName: `${u.lastName}, ${u.firstName}`,
        OwnerLoginID: u.loginId,
        CurrencyCode: body.CurrencyCode ?? 'USD',
        ID: id,
      })
      return { record: rec, owner, hidden: {} }
    }
    case 'expense-attendee-types': {
      required(body, 'Code', 'Name')
      const rec = fields(blank)
      Object.assign(rec, {
        DuplicateSearchFields: body.DuplicateSearchFields ?? [],
        ConnectorID: body.ConnectorID ?? '',
        AllowManuallyEnteredAttendees: body.AllowManuallyEnteredAttendees ?? true,
        AllowAttendeeCountEditing: body.AllowAttendeeCountEditing ?? false,
        ID: id,
      })
      return { record: rec, owner: undefined, hidden: {} }
    }
    case 'entry-attendee-associations': {
      required(body, 'EntryID', 'AttendeeID')
      const entry = ref(ds, overlays, 'expense-entries', body.EntryID, 'EntryID')
      ref(ds, overlays, 'expense-attendees', body.AttendeeID, 'AttendeeID')
      const rec = fields(blank)
      Object.assign(rec, {
        Amount: body.Amount ?? entry.record.TransactionAmount ?? 0,
        AssociatedAttendeeCount: body.AssociatedAttendeeCount ?? 1,
        ID: id,
      })
      return { record: rec, owner: entry.owner, hidden: {} }
    }
    case 'list-items': {
      required(body, 'ListID', 'Name', 'Level1Code')
      ref(ds, overlays, 'lists', body.ListID, 'ListID')
      const rec = fields(blank)
      rec.ID = id
      return { record: rec, owner: undefined, hidden: {} }
    }
    case 'lists': {
      required(body, 'Name', 'SearchCriteriaCode')
      for (const k of ['DisplayCodeFirst', 'IsVendorList'])
        if (typeof body[k] !== 'boolean') throw new ConcurHttpError(400, `The field '${k}' is required`)
      if (body.ExternalThreshold != null && !body.ConnectorID)
        throw new ConcurHttpError(400, 'ExternalThreshold can only be set with a ConnectorID')
      const rec = fields(blank)
      Object.assign(rec, { ExternalThreshold: body.ExternalThreshold ?? 1, ID: id })
      return { record: rec, owner: undefined, hidden: {} }
    }
    case 'receipt-images':
      return { record: { ID: id }, owner, hidden: {} }
    default:
      throw new ConcurHttpError(405, 'Method Not Allowed')
  }
}

/** Applies a `PUT` body to an existing record and stamps its modification time. */
export function buildUpdated(
  ds: Dataset,
  key: string,
  record: WireRecord,
  body: Record<string, unknown>,
  nowMs: number,
): WireRecord {
  const rec = mergeFields(key, record, body)
  if (key === 'expense-entries' || key === 'expense-itemizations') {
    const type = EXPENSE_TYPES[rec.ExpenseTypeCode as keyof typeof EXPENSE_TYPES]
    if (body.ExpenseTypeCode !== undefined && !type)
      throw new ConcurHttpError(400, `The expense type '${String(body.ExpenseTypeCode)}' is not valid`)
    if (type)
      Object.assign(rec, {
        ExpenseTypeName: type.name,
        SpendCategoryCode: type.spendCode,
        SpendCategoryName: type.spendName,
      })
    if (typeof body.TransactionAmount === 'number')
      Object.assign(rec, { PostedAmount: body.TransactionAmount, ApprovedAmount: body.TransactionAmount })
  }
  if (key === 'expense-reports' && typeof body.Comment === 'string') rec.LastComment = body.Comment
  if (key === 'expense-attendees' && typeof body.AttendeeTypeID === 'string') {
    const t = decodeId('expense-attendee-types', ds.tag, body.AttendeeTypeID)
    if (t !== undefined && t < ATTENDEE_TYPES.length) rec.AttendeeTypeCode = ATTENDEE_TYPES[t]!.code
    rec.VersionNumber = ((rec.VersionNumber as number | null) ?? 0) + 1
  }
  stampModified(key, rec, nowMs)
  return rec
}

/** Sets a record's modification field (if it has one) to the mock clock's now. */
export function stampModified(key: string, rec: WireRecord, nowMs: number): void {
  const field = MODIFIED_FIELD[key]
  if (field) rec[field] = formatV3Date(nowMs)
}

/** The id of the next record created in a resource's overlay. */
export function nextCreatedId(ds: Dataset, provider: Provider, overlay: ResourceOverlay): string {
  return encodeId(provider.kind, ds.tag, provider.size(ds) + overlay.created.length)
}

/**
 * Keeps a report's totals equal to the sum of its entries after an entry write: adds `delta` to
 * `Total`, `TotalClaimedAmount` and `TotalApprovedAmount` and stamps the report's modification.
 */
export function adjustReportTotals(
  ds: Dataset,
  overlays: DatasetOverlay,
  reportId: unknown,
  delta: number,
  nowMs: number,
): void {
  if (typeof reportId !== 'string' || delta === 0 || !Number.isFinite(delta)) return
  const provider = providerOf('expense-reports')!
  const overlay = overlays.of(ds.company.id, 'expense-reports')
  const found = findRecord(ds, provider, overlay, reportId)
  if (!found) return
  const rec = { ...found.record }
  for (const k of ['Total', 'TotalClaimedAmount', 'TotalApprovedAmount']) {
    rec[k] = Math.round((((rec[k] as number | null) ?? 0) + delta) * 100) / 100
  }
  stampModified('expense-reports', rec, nowMs)
  if (found.created) overlay.replaceCreated(found.created, rec)
  else overlay.patch(found.index, rec)
}
