import type { MockApp } from '../companies.js'

/**
 * The ESS scopes an app holds in its App JWT (`client_credentials`), derived from its Connect scopes
 * (the mock registers apps with Connect scopes only): `NOTIF` → `events.topic.read`; `EXPRPT` → the
 * expense report scopes; `USER` → provisioning and profile event scopes; `ITINER` → itinerary,
 * request and booking scopes; `COMPANY` → the company-level topics. A company's primary app holds
 * them all; its read-only `EXPRPT` app holds no `events.topic.read`.
 *
 * @example
 * appEventScopes(company.apps[0]) // ['events.topic.read', 'expense.report.read', …]
 */
export function appEventScopes(app: Pick<MockApp, 'scopes'>): string[] {
  const has = (s: string) => (app.scopes as readonly string[]).includes(s)
  return [
    ...(has('NOTIF') ? ['events.topic.read'] : []),
    ...(has('EXPRPT') ? ['expense.report.read', 'expense.report.readwrite'] : []),
    ...(has('USER')
      ? [
          'user.provision.read',
          'identity.user.event.read',
          'spend.user.event.read',
          'travel.profile.user.event.read',
          'travel.user.event.read',
        ]
      : []),
    ...(has('ITINER') ? ['travel.itinerary.read', 'travelrequest.write', 'travel.trips.booking.read'] : []),
    ...(has('COMPANY') ? ['document.tax.compliance.read', 'FISVC', 'spend.accountingintegration.read'] : []),
  ]
}
