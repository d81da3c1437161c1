import type { Context } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import { FORM_TYPES, findForm, formFieldsOf, formsOf } from '../../dataset/legacy/forms.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { RowProvider } from '../row-provider.js'
import { readQuery, xmlDocument, xmlResponse } from './http.js'
import { type XmlHandler, xmlRowOf, xmlRowRoutes } from './rows-kit.js'

/** One walk step's answer: `<listRoot xmlns=…><item>…</item>…</listRoot>` with the step's element names. */
function stepDocument(c: Context<MockEnv>, step: number, items: readonly unknown[]): Response {
  const { xml, mapping } = xmlRowOf('expense-form')
  const s = mapping.walk![step]!
  const [root, item] = s.listPath as [string, string]
  return xmlResponse(
    c,
    xmlDocument(root, { [item]: items }, { namespace: s.namespace ?? xml.namespace, xsi: true }),
  )
}

/**
 * v1.1 report forms (C.15), the three steps of the row's walk: form types, the forms of a type, the
 * fields of a form (also at the swagger's spelling). The paths and element names are the row's.
 */
function expenseFormRoutes(ctx: DcContext) {
  const seed = () => ctx.state.options.seed

  const formTypes: XmlHandler = (c) => {
    readQuery(c, [])
    return stepDocument(c, 0, FORM_TYPES)
  }

  const formsOfType: XmlHandler = (c) => {
    readQuery(c, [])
    const code = c.req.param('FormCode') ?? ''
    const type = FORM_TYPES.find((t) => t.FormCode.toLowerCase() === code.toLowerCase())
    if (!type) throw new ConcurHttpError(404, `Form type ${code} was not found`)
    return stepDocument(c, 1, formsOf(seed(), c.get('principal').company, type.FormCode))
  }

  const formFields: XmlHandler = (c) => {
    readQuery(c, [])
    const formId = c.req.param('FormId') ?? ''
    const p = c.get('principal')
    const found = findForm(seed(), p.company, formId)
    if (!found) throw new ConcurHttpError(404, `Form ${formId} was not found`)
    return stepDocument(c, 2, formFieldsOf(seed(), p.company, found.type.FormCode, found.index))
  }

  return xmlRowRoutes(ctx, { 'expense-form': { walk: [formTypes, formsOfType, formFields] } })
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
