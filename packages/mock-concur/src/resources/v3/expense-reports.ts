import { DATACENTERS, ReportWrite } from '@concurkit/contract'
import { isTestUser, userOf } from '../../dataset/dataset.js'
import { groupConfigId, policyId, reportAt, reportOwner, workflowActionUrl } from '../../dataset/expense.js'
import { defs, reportPlan } from '../../dataset/row-plans.js'
import { formatV3Date, midnight } from '../../dataset/time.js'
import type { V3Row } from './row.js'
import { CUSTOM } from './write-kit.js'

/** `/api/v3.0/expense/reports`: one report per index; a new report is "Not Submitted". */
export const expenseReports: V3Row = {
  key: 'expense-reports',
  kind: 'expense-reports',
  get filters() {
    return defs('expense-reports')
  },
  size: (ds) => ds.reports,
  exists: () => true,
  generate: (ds, i) => reportAt(ds, i),
  owner: (ds, i) => reportOwner(ds, i),
  plan: (ds, f, owner) => reportPlan(ds, f, owner),
  writeRules: {
    schema: ReportWrite,
    modifiedField: 'LastModifiedDate',
    create({ ds, keys, body, owner, id, nowMs, now, ownerUser, blank, fields }) {
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
        WorkflowActionUrl: workflowActionUrl(DATACENTERS[ds.company.datacenter].baseUrl, id),
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
    },
    update({ body, record }) {
      if (typeof body.Comment === 'string') record.LastComment = body.Comment
    },
  },
}
