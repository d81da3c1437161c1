import { EXPENSE_V11_HTTPS_NAMESPACE, EXPENSE_V11_NAMESPACE } from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import { FORM_TYPES, findForm, formFieldsOf, formsOf } from '../../dataset/legacy/forms.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { RowProvider } from '../row-provider.js'
import { readQuery, xmlDocument, xmlResponse } from './http.js'

const V11 = '/api/expense/expensereport/v1.1'

/**
 * v1.1 report forms (C.15): `report/Forms`, `report/Forms/{FormCode}`, `report/Form/{FormId}/Fields`,
 * also spelled `report/Forms/{FormId}/Fields` as in the swagger. Hand-written: the row's records
 * are walked through three levels of calls.
 */
function expenseFormRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const seed = () => ctx.state.options.seed

  app.get(`${V11}/report/Forms`, requireToken(ctx, 'EXPRPT'), (c) => {
    readQuery(c, [])
    return xmlResponse(
      c,
      xmlDocument('FormTypesList', { FormType: FORM_TYPES }, { namespace: EXPENSE_V11_NAMESPACE, xsi: true }),
    )
  })

  const fields = (c: Context<MockEnv>, formId: string) => {
    readQuery(c, [])
    const p = c.get('principal')
    const found = findForm(seed(), p.company, formId)
    if (!found) throw new ConcurHttpError(404, `Form ${formId} was not found`)
    const list = formFieldsOf(seed(), p.company, found.type.FormCode, found.index)
    return xmlResponse(
      c,
      xmlDocument(
        'FormFieldsList',
        { FormField: list },
        { namespace: EXPENSE_V11_HTTPS_NAMESPACE, xsi: true },
      ),
    )
  }

  app.get(`${V11}/report/Form/:formId/Fields`, requireToken(ctx, 'EXPRPT'), (c) =>
    fields(c, c.req.param('formId')),
  )
  app.get(`${V11}/report/Forms/:formId/Fields`, requireToken(ctx, 'EXPRPT'), (c) =>
    fields(c, c.req.param('formId')),
  )

  app.get(`${V11}/report/Forms/:formCode`, requireToken(ctx, 'EXPRPT'), (c) => {
    readQuery(c, [])
    const code = c.req.param('formCode')
    const type = FORM_TYPES.find((t) => t.FormCode.toLowerCase() === code.toLowerCase())
    if (!type) throw new ConcurHttpError(404, `Form type ${code} was not found`)
    const forms = formsOf(seed(), c.get('principal').company, type.FormCode)
    return xmlResponse(
      c,
      xmlDocument('FormDataList', { FormData: forms }, { namespace: EXPENSE_V11_NAMESPACE, xsi: true }),
    )
  })

  return app
}

/** The `expense-form` row: one record per form field, with its form type and form. */
export const expenseForm: RowProvider = {
  names: ['expense-form'],
  routes: expenseFormRoutes,
  *records({ state, company }) {
    const seed = state.options.seed
    for (const type of FORM_TYPES) {
      const forms = formsOf(seed, company, type.FormCode)
      for (const [j, form] of forms.entries()) {
        for (const field of formFieldsOf(seed, company, type.FormCode, j)) {
          yield {
            ...field,
            FormTypeName: type.Name,
            FormCode: type.FormCode,
            FormName: form.Name,
            FormId: form.FormId,
          }
        }
      }
    }
  },
}
