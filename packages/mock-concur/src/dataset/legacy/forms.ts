import type { FormData, FormField, FormType } from '@concurkit/contract'
import type { MockCompany } from '../../companies.js'
import { mix32, opaqueId, resourceKey } from './common.js'

/** The form types of v1.1 `report/Forms`, with Concur's names (ex: expense-v1.1-report-forms-response.xml). */
export const FORM_TYPES: readonly FormType[] = [
  { Name: 'Expense Entry', FormCode: 'ENTRYINFO' },
  { Name: 'Expense Report Header', FormCode: 'RPTINFO' },
  { Name: 'Expense Allocation', FormCode: 'ALLOCINFO' },
  { Name: 'Expense Attendee', FormCode: 'ATTNINFO' },
  { Name: 'Authorization Request Expense Category', FormCode: 'TRAVELREQENTRYINFO' },
  { Name: 'Authorization Request Header', FormCode: 'TRAVELREQINFO' },
  { Name: 'Expense Detail View', FormCode: 'EXPLISTDTL' },
  { Name: 'Attendee Detail View', FormCode: 'ATNLISTDTL' },
  { Name: 'Expense Car', FormCode: 'CARINFO' },
]

type FieldSpec = readonly [
  id: string,
  label: string,
  control: string,
  dataType: FormField['DataType'],
  maxLength: string,
  access: FormField['Access'],
]

const BASE_FIELDS: Readonly<Record<string, readonly FieldSpec[]>> = {
  RPTINFO: [
    ['Name', 'ReportName', 'edit', 'VARCHAR', '32', 'RW'],
    ['ReportId', 'ReportID', 'static', 'VARCHAR', '32', 'RO'],
    ['PolKey', 'Policy', 'picklist', 'INTEGER', '', 'RW'],
    ['EmpName', 'EmployeeName', 'static', 'VARCHAR', '32', 'HD'],
    ['UserDefinedDate', 'ReportDate', 'edit', 'TIMESTAMP', '', 'RW'],
    ['Purpose', 'BusinessPurpose', 'textarea', 'VARCHAR', '500', 'RW'],
  ],
  ENTRYINFO: [
    ['ExpKey', 'ExpenseType', 'picklist', 'CHAR', '5', 'RW'],
    ['TransactionDate', 'TransactionDate', 'edit', 'TIMESTAMP', '', 'RW'],
    ['TransactionAmount', 'Amount', 'edit', 'MONEY', '', 'RW'],
    ['VendorDescription', 'Vendor', 'edit', 'VARCHAR', '64', 'RW'],
    ['Description', 'BusinessPurpose', 'textarea', 'VARCHAR', '64', 'RW'],
    ['IsPersonal', 'Personal', 'checkbox', 'BOOLEANCHAR', '1', 'RW'],
  ],
  ALLOCINFO: [
    ['Percentage', 'Percentage', 'edit', 'NUMERIC', '', 'RW'],
    ['Custom1', 'CostCenter', 'list_edit', 'LIST', '48', 'RW'],
    ['Custom2', 'Project', 'list_edit', 'MLIST', '48', 'RW'],
  ],
  ATTNINFO: [
    ['FirstName', 'FirstName', 'edit', 'VARCHAR', '50', 'RW'],
    ['LastName', 'LastName', 'edit', 'VARCHAR', '132', 'RW'],
    ['Company', 'Company', 'edit', 'VARCHAR', '150', 'RW'],
    ['Title', 'Title', 'edit', 'VARCHAR', '32', 'RW'],
  ],
  TRAVELREQENTRYINFO: [
    ['ExpKey', 'ExpenseType', 'picklist', 'CHAR', '5', 'RW'],
    ['ForeignAmount', 'Amount', 'edit', 'MONEY', '', 'RW'],
  ],
  TRAVELREQINFO: [
    ['Name', 'RequestName', 'edit', 'VARCHAR', '40', 'RW'],
    ['StartDate', 'StartDate', 'edit', 'TIMESTAMP', '', 'RW'],
    ['EndDate', 'EndDate', 'edit', 'TIMESTAMP', '', 'RW'],
    ['Purpose', 'BusinessPurpose', 'textarea', 'VARCHAR', '500', 'RW'],
  ],
  EXPLISTDTL: [
    ['ExpName', 'ExpenseType', 'static', 'VARCHAR', '64', 'RO'],
    ['PostedAmount', 'RequestedAmount', 'static', 'MONEY', '', 'RO'],
  ],
  ATNLISTDTL: [
    ['AtnTypeName', 'AttendeeType', 'static', 'VARCHAR', '40', 'RO'],
    ['Amount', 'Amount', 'static', 'MONEY', '', 'RO'],
  ],
  CARINFO: [
    ['VehicleId', 'VehicleID', 'edit', 'VARCHAR', '30', 'RW'],
    ['CarType', 'CarType', 'picklist', 'SMALLINT', '', 'RW'],
  ],
}

const RPTINFO_NAMES = [
  'Central Reconciliation Columns',
  'Central Reconciliation Report',
  'Default Report Information',
]

/** The forms of one form type in a company (`FormData` list; RPTINFO has Concur's three sample forms). */
export function formsOf(seed: number, company: Pick<MockCompany, 'id'>, formCode: string): FormData[] {
  const type = FORM_TYPES.find((t) => t.FormCode === formCode)
  if (!type) return []
  const key = resourceKey(seed, company.id, 'expense-form')
  const names =
    formCode === 'RPTINFO'
      ? RPTINFO_NAMES
      : [
          `Default ${type.Name}`,
          ...(mix32(key, FORM_TYPES.indexOf(type)) % 2 === 1 ? [`${type.Name} (International)`] : []),
        ]
  return names.map((Name, j) => ({ Name, FormId: opaqueId(34, seed, company.id, 'form', formCode, j) }))
}

/** Where a form id points: its type and form, or `undefined` when the company has no such form. */
export function findForm(
  seed: number,
  company: Pick<MockCompany, 'id'>,
  formId: string,
): { type: FormType; form: FormData; index: number } | undefined {
  for (const type of FORM_TYPES) {
    const forms = formsOf(seed, company, type.FormCode)
    const index = forms.findIndex((f) => f.FormId === formId)
    if (index >= 0) return { type, form: forms[index]!, index }
  }
  return undefined
}

/** The fields of one form: the type's standard fields, then 0–3 custom fields of this form. */
export function formFieldsOf(
  seed: number,
  company: Pick<MockCompany, 'id'>,
  formCode: string,
  formIndex: number,
): FormField[] {
  const key = resourceKey(seed, company.id, 'expense-form')
  const base = BASE_FIELDS[formCode] ?? []
  const customs =
    mix32(
      key,
      formCode.length,
      formIndex,
      FORM_TYPES.findIndex((t) => t.FormCode === formCode),
    ) % 4
  const specs: FieldSpec[] = [...base]
  // Custom fields are numbered after the ones the type already has (ALLOCINFO has Custom1/2).
  const first = 1 + Math.max(0, ...base.map(([id]) => Number(/^Custom(\d+)$/.exec(id)?.[1] ?? 0)))
  for (let k = first; k < first + customs; k++) {
    const listy = (k + formIndex) % 2 === 0
    specs.push([
      `Custom${k}`,
      `Custom${k}`,
      listy ? 'list_edit' : 'edit',
      listy ? 'LIST' : 'VARCHAR',
      '48',
      'RW',
    ])
  }
  return specs.map(([Id, Label, ControlType, DataType, MaxLength, Access], i) => {
    const wide = ControlType === 'edit' || ControlType === 'textarea'
    const custom = Id.startsWith('Custom')
    return {
      Id,
      Label,
      ControlType,
      DataType,
      MaxLength,
      Required: i < 2 || (!custom && (mix32(key, formIndex, i) & 1) === 1) ? 'Y' : 'N',
      Cols: wide && MaxLength !== '' ? '32' : '',
      Access,
      Width: wide && MaxLength !== '' ? '32' : '',
      Custom: custom ? 'Y' : 'N',
      Sequence: String(i + 1),
    }
  })
}
