import { EXPENSE_V11_HTTPS_NAMESPACE, EXPENSE_V11_NAMESPACE } from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import { cardChargesOf, delegatorsOf } from '../../dataset/legacy/cards.js'
import { FORM_TYPES, findForm, formFieldsOf, formsOf } from '../../dataset/legacy/forms.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import { readQuery, requireUser, xmlDocument, xmlResponse } from './http.js'

const V11 = '/api/expense/expensereport/v1.1'

/**
 * v1.1 expense report resources: `CardCharges` (C.13), `Delegators` (C.14) and the report forms
 * (C.15: `report/Forms`, `report/Forms/{FormCode}`, `report/Form/{FormId}/Fields`, also spelled
 * `report/Forms/{FormId}/Fields` as in the swagger).
 */
export function expenseV11Routes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const seed = () => ctx.state.options.seed

  app.get(`${V11}/CardCharges`, requireToken(ctx, 'CCARD'), (c) => {
    readQuery(c, [])
    const p = c.get('principal')
    const user = requireUser(p)
    const charges = cardChargesOf(seed(), p.company, user.index)
    return xmlResponse(
      c,
      xmlDocument('CardCharges', { CardCharge: charges }, { namespace: EXPENSE_V11_HTTPS_NAMESPACE }),
    )
  })

  app.get(`${V11}/Delegators`, requireToken(ctx, 'EXPRPT'), (c) => {
    readQuery(c, [])
    const p = c.get('principal')
    const user = requireUser(p)
    const delegators = delegatorsOf(seed(), p.company, user.index)
    return xmlResponse(
      c,
      xmlDocument(
        'DelegatorsList',
        { Delegator: delegators },
        { namespace: EXPENSE_V11_NAMESPACE, xsi: true },
      ),
    )
  })

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
