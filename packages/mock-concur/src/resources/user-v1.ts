import { type IdentityUser, SCIM_ENTERPRISE_SCHEMA } from '@concurkit/contract'
import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf, isActiveUser, isTestUser, userIndexOfLogin, userOf } from '../dataset/dataset.js'
import { ConcurHttpError } from '../http/errors.js'
import { requireToken } from '../oauth/guard.js'
import { type DirectoryEntry, directoryOf } from './ups-directory.js'
import { toXmlContent, xmlDocumentV3 } from './xml.js'

/** The profile fields of a user written through Identity v4 / User Provisioning v4 (as written). */
function writtenProfile(entry: DirectoryEntry | undefined): Record<string, unknown> {
  if (!entry) return {}
  const id = entry.identity as IdentityUser
  const ent = id[SCIM_ENTERPRISE_SCHEMA] ?? {}
  const emails = id.emails ?? []
  return {
    Active: yn(id.active === true),
    EmailAddress: (emails.find((e) => e.type === 'work') ?? emails[0])?.value ?? null,
    EmpId: ent.employeeNumber ?? null,
    ExpenseApproverEmployeeID: ent.manager?.employeeNumber ?? null,
    FirstName: id.name?.givenName ?? null,
    LastName: id.name?.familyName ?? null,
    LoginId: id.userName,
    Mi: id.name?.middleInitial ?? null,
    OrgUnit1: ent.costCenter ?? null,
  }
}

const USER_NS = 'http://www.concursolutions.com/api/user/2011/02'
const yn = (b: boolean) => (b ? 'Y' : 'N')

/**
 * `GET /api/user/v1.0/user[?loginID=]` (User Information v1.0, XML): the token owner, or another
 * user of the company for administrators. The same users as `/api/v3.0/common/users`.
 *
 * @example
 * app.route('/', userV1Routes(ctx))
 */
export function userV1Routes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const handler = requireToken(ctx)
  app.get('/api/user/v1.0/user', handler, (c) => {
    const principal = c.get('principal')
    if (!principal.scopes.has('USER') && !principal.scopes.has('user_read'))
      throw new ConcurHttpError(403, 'Forbidden Request: the token lacks the USER scope')
    const url = new URL(c.req.url)
    for (const k of url.searchParams.keys()) {
      if (k.toLowerCase() !== 'loginid') throw new ConcurHttpError(400, `Unknown parameter '${k}'`)
    }
    const ds = datasetOf(ctx.state.options.seed, principal.company)
    const login = url.searchParams.get('loginID') ?? url.searchParams.get('loginId') ?? undefined
    let index: number | undefined
    if (login === undefined) {
      index = principal.user?.index
      if (index === undefined) throw new ConcurHttpError(400, 'loginID is required with a company token')
    } else {
      index = userIndexOfLogin(ds, login) ?? ctx.state.userSource?.indexOfLogin(principal.company, login)
      if (index === undefined) throw new ConcurHttpError(404, `No user with login ID '${login}'`)
      if (!principal.isAdmin && index !== principal.user?.index)
        throw new ConcurHttpError(
          403,
          "Forbidden Request: only administrators may read other users' profiles",
        )
    }
    const u = ctx.state.user(principal.company, index) ?? userOf(ds, index)
    const custom: Record<string, null> = {}
    for (let i = 1; i <= 21; i++) custom[`Custom${i}`] = null
    const profile = {
      Active: yn(isActiveUser(index)),
      CellPhoneNumber: null,
      CrnCode: 'USD',
      CtryCode: 'US',
      CtrySubCode: null,
      CashAdvanceAccountCode: null,
      EmailAddress: u.email,
      EmpId: u.employeeId,
      ExpenseApprover: yn(u.roles.includes('ExpenseApprover')),
      ExpenseApproverEmployeeID: index === 1 ? null : userOf(ds, 1).employeeId,
      ExpenseUser: yn(u.roles.includes('ExpenseUser')),
      FirstName: u.firstName,
      InvoiceApprover: 'N',
      InvoiceUser: 'N',
      IsTestEmp: yn(isTestUser(index)),
      LastName: u.lastName,
      LedgerName: 'DEFAULT',
      LocaleName: 'en_US',
      LoginId: u.loginId,
      Mi: null,
      OrgUnit1: `Cost Center ${1000 + (index % 12)}`,
      OrgUnit2: null,
      OrgUnit3: null,
      OrgUnit4: null,
      OrgUnit5: null,
      OrgUnit6: null,
      TripUser: yn(u.roles.includes('TravelUser')),
      ...custom,
      ...writtenProfile(directoryOf(ctx.state).entry(principal.company, index)),
    }
    return c.body(
      xmlDocumentV3('UserProfile', USER_NS, toXmlContent(profile) as Record<string, unknown>),
      200,
      {
        'content-type': 'application/xml; charset=utf-8',
      },
    )
  })
  return app
}
