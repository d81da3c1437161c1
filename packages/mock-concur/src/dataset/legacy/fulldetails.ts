type Obj = Record<string, unknown>

const pick = (src: Obj, names: readonly string[], rename: Readonly<Record<string, string>> = {}): Obj => {
  const out: Obj = {}
  for (const n of names) out[n] = src[rename[n] ?? n] ?? ''
  return out
}
const customs = (n: number) => Array.from({ length: n }, (_, i) => `Custom${i + 1}`)
const orgUnits = Array.from({ length: 6 }, (_, i) => `OrgUnit${i + 1}`)

/**
 * A report as v1.1 `reportfulldetails/{reportKey}` (the event-notification target), from its v2.0
 * details (`v2`: seeded, changed or created through v3.0) and its index: renamed to the v1.1 elements
 * of Concur's sample (`X_UserID`, `CrnCode`, `ApsKey`, `Entries` with `ExpenseEntry`,
 * `ItemizationEntryDetails`, `Allocations`, `AttendeeDetails`).
 *
 * @example
 * reportFullDetails(detailsOf(state, company, ref, true), ref.index, baseUrl).ReportName
 */
export function reportFullDetails(v2: Obj, index: number, baseUrl: string): Obj {
  const entries = (v2.ExpenseEntriesList as { ExpenseEntry?: Obj[] } | undefined)?.ExpenseEntry ?? []
  const alloc = (a: Obj) => ({
    ...pick(a, customs(20)),
    AllocationKey: a.AllocationID,
    Percentage: a.Percentage,
    AccountCode1: a.AccountCode1,
    AccountCode2: a.AccountCode2,
  })
  const attendee = (a: Obj) => ({
    ...pick(a, customs(20)),
    AttendeeType: a.AttendeeTypeCode,
    FirstName: a.FirstName,
    LastName: a.LastName,
    Company: a.Company,
    ExternalId: a.ExternalID,
    HasExceptionsPrevYear: a.HasExceptionsPrevYear,
    HasExceptionsYtd: a.HasExceptionsYTD,
    IsDeleted: a.IsDeleted,
    OwnerEmpName: a.OwnerEmpName,
    Title: a.Title,
    TotalAmountPrevYear: a.TotalAmountPrevYear,
    TotalAmountYtd: a.TotalAmountYTD,
    VersionNumber: a.VersionNumber,
    AttendeeKey: a.AttendeeID,
  })
  const expenseEntries = entries.map((e) => {
    const rows = (e.ItemizationsList as { Itemization: Obj[] }).Itemization
    const regular = rows[0] ?? {}
    const children = rows.slice(1)
    const regularAllocs = (regular.AllocationsList as { Allocation: Obj[] } | undefined)?.Allocation ?? []
    const attendees = (regular.AttendeesList as { Attendee: Obj[] } | undefined)?.Attendee ?? []
    return {
      ReceiptRequired: e.ReceiptRequired,
      ImageRequired: e.ImageRequired,
      EreceiptId: e['E-ReceiptID'],
      ...pick(e, orgUnits),
      ...pick(e, customs(40)),
      RpeKey: e.ReportEntryID,
      RptKey: v2.ReportID,
      X_UserID: e.UserLoginID,
      ExpKey: e.ExpenseTypeID,
      FormKey: e.FormID,
      ReceiptImageId: e.EntryImageID,
      ExpName: e.ExpenseTypeName,
      BusinessPurpose: e.BusinessPurpose,
      HasVat: e.HasVat,
      ExchangeRate: e.ExchangeRate,
      TransactionAmount: e.TransactionAmount,
      PostedAmount: e.PostedAmount,
      ApprovedAmount: e.ApprovedAmount,
      TransactionCurrencyName: e.TransactionCurrencyName,
      VendorDescription: e.VendorDescription,
      LocationName: e.LocationName,
      LocationSubdivision: e.LocationSubdivision,
      LocationCountry: e.LocationCountry,
      SpendCategory: e.SpendCategory,
      HasComments: e.HasComments,
      CommentCount: e.CommentCount,
      PaymentTypeKey: e.PaymentTypeCode,
      IsItemized: e.IsItemized,
      HasExceptions: e.HasExceptions,
      IsPersonal: e.IsPersonal,
      HasAttendees: e.HasAttendees,
      HasAllocation: e.HasAllocation,
      IsCreditCardCharge: e.IsCreditCardCharge,
      AttendeeCount: String(attendees.length),
      IsPersonalCardCharge: e.IsPersonalCardCharge,
      TransactionDate: e.TransactionDate,
      LastModifiedDate: e.LastModified,
      ItemizationsList: {
        ItemizationEntryDetails: children.map((c) => ({
          ...pick(c, customs(40)),
          ItemizationKey: c.ItemizationID,
          ExpenseKey: c.ExpenseTypeID,
          ExpenseName: c.ExpenseTypeName,
          BusinessPurpose: c.BusinessPurpose,
          TransactionAmount: c.TransactionAmount,
          TransactionDate: c.TransactionDate,
          PostedAmount: c.PostedAmount,
          ApprovedAmount: c.ApprovedAmount,
          HasComments: c.HasComments,
          CommentCount: c.CommentCount,
          IsPersonal: c.IsPersonal,
          LastModified: c.LastModified,
          AllocationsList: {
            Allocations: ((c.AllocationsList as { Allocation: Obj[] }).Allocation ?? []).map(alloc),
          },
        })),
      },
      // The entry-level allocation of the sample spells its key `allocKey`, after the account codes.
      Allocations: regularAllocs.map((a) => ({
        ...pick(a, customs(20)),
        AccountCode1: a.AccountCode1,
        AccountCode2: a.AccountCode2,
        allocKey: a.AllocationID,
        Percentage: a.Percentage,
      })),
      AttendeeDetails: attendees.map(attendee),
    }
  })
  return {
    X_UserID: v2.UserLoginID,
    ReportId: v2.ReportID,
    ReportName: v2.ReportName,
    Purpose: v2.Purpose,
    CrnCode: v2.CurrencyCode,
    ApsKey: v2.ApprovalStatusCode,
    ReportDate: v2.ReportDate,
    CreationDate: v2.CreationDate,
    ReceiptImageUrl: `${baseUrl}/getImage?val=${String(v2.ReportID)}`,
    HasException: v2.HasException,
    EverSentBack: v2.EverSentBack,
    EmployeeName: v2.EmployeeName,
    ApvStatusName: v2.ApprovalStatusName,
    PayKey: v2.PaymentStatusCode,
    PayStatusName: v2.PaymentStatusName,
    PaidDate: v2.PaidDate,
    SubmitDate: v2.SubmitDate,
    EntryCount: String(expenseEntries.length),
    LedgerName: v2.LedgerName,
    ...pick(v2, orgUnits),
    ...pick(v2, customs(20)),
    PolKey: v2.PolicyID,
    RptKey: String(index + 1),
    ReportTotal: v2.ReportTotal,
    PersonalExpenses: v2.PersonalExpenses,
    AmountDueEmployee: v2.AmountDueEmployee,
    AmountDueCompanyCard: v2.AmountDueCompanyCard,
    TotalClaimedAmount: v2.TotalClaimedAmount,
    TotalApprovedAmount: v2.TotalApprovedAmount,
    WorkflowActionURL: v2.WorkflowActionURL,
    Entries: { '@_Count': String(expenseEntries.length), ExpenseEntry: expenseEntries },
  }
}
