import {
  CardsV4Error,
  IdentityError,
  ItineraryV4Error,
  ListV4Error,
  OAuthErrorBody,
  RESOURCES,
  ReceiptsV4Error,
  RequestV4Error,
  SpendDocumentsError,
  V4Error,
  WebServiceError,
} from '@concurkit/contract'

/** Which documented error body an API family uses (mock README: "Errors" and admin API). */
export type Family =
  | 'oauth'
  | 'admin'
  | 'v3'
  | 'v4'
  | 'cards-v4'
  | 'itinerary-v4'
  | 'request-v4'
  | 'receipts-v4'
  | 'spend-documents-v4'
  | 'scim'
  | 'list'
  | 'xml'

/** The family of a path, as Concur (and the mock) choose the error body. */
export function familyOf(path: string): Family {
  if (path.startsWith('/oauth2/') || path.startsWith('/app-mgmt/')) return 'oauth'
  if (path.startsWith('/_mock')) return 'admin'
  if (path.startsWith('/api/v3.0/') || path.startsWith('/api/v3.1/invoice/')) return 'v3'
  if (path.startsWith('/expensereports/v4') || path.startsWith('/profile-service/')) return 'v4'
  if (path.startsWith('/events/v4') || path.startsWith('/quickexpense/v4/')) return 'v4'
  if (path.startsWith('/receipts/') || path === '/receipts') return 'receipts-v4'
  if (path.startsWith('/spend-documents/v4/')) return 'spend-documents-v4'
  if (path.startsWith('/travelrequest/v4/') || path === '/travelrequest/v4') return 'request-v4'
  if (path.startsWith('/localities/v5/')) return 'v4'
  if (path.startsWith('/cards/v4/')) return 'cards-v4'
  if (path.startsWith('/travel/v4/')) return 'itinerary-v4'
  // Identity v4, User Provisioning v4 and the spend/travel profiles: the SCIM error body.
  if (/^\/profile\/(identity|v4|spend|travel)\//.test(path)) return 'scim'
  if (path.startsWith('/list/v4/')) return 'list'
  return 'xml'
}

/** The path as a server sees it after URL parsing (`..` and `%2e%2e` segments resolved). */
export function normalizedPath(path: string): string {
  try {
    return new URL(path, 'http://localhost').pathname
  } catch {
    return path
  }
}

/** `decodeURI` that never throws (a router may match on the decoded path). */
export function tryDecode(path: string): string {
  try {
    return decodeURI(path)
  } catch {
    return path
  }
}

const XML_ERROR =
  /^(?:<\?xml[^>]*\?>\s*)?<Error(?:\s[^>]*)?>\s*<Message>[^<]*<\/Message>\s*<Server-Time>[^<]*<\/Server-Time>\s*<Id>[^<]*<\/Id>\s*<\/Error>\s*$/

function wantsXml(accept: string | undefined): boolean {
  if (!accept) return false
  const a = accept.toLowerCase()
  const xml = Math.max(a.indexOf('application/xml'), a.indexOf('text/xml'))
  const json = a.indexOf('application/json')
  return xml >= 0 && (json < 0 || xml < json)
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function matches(family: Family, text: string, accept: string | undefined): boolean {
  switch (family) {
    case 'oauth':
      return OAuthErrorBody.safeParse(jsonOf(text)).success
    case 'admin': {
      const j = jsonOf(text) as { error?: unknown } | undefined
      return typeof j?.error === 'string'
    }
    case 'v4':
      return V4Error.safeParse(jsonOf(text)).success
    case 'cards-v4':
      return CardsV4Error.safeParse(jsonOf(text)).success
    case 'itinerary-v4':
      return ItineraryV4Error.safeParse(jsonOf(text)).success
    case 'request-v4':
      return RequestV4Error.safeParse(jsonOf(text)).success
    case 'receipts-v4':
      return ReceiptsV4Error.safeParse(jsonOf(text)).success
    case 'spend-documents-v4':
      return SpendDocumentsError.safeParse(jsonOf(text)).success
    case 'list':
      return ListV4Error.safeParse(jsonOf(text)).success
    case 'scim': {
      // Identity's body (status a string), or Spend User Retrieval's (status an integer).
      const j = jsonOf(text) as { status?: unknown; detail?: unknown } | undefined
      return (
        IdentityError.safeParse(j).success || (typeof j?.status === 'number' && typeof j.detail === 'string')
      )
    }
    case 'v3':
      return wantsXml(accept) ? XML_ERROR.test(text) : WebServiceError.safeParse(jsonOf(text)).success
    default:
      return XML_ERROR.test(text)
  }
}

/**
 * Why a 4xx answer does not carry the documented body of its API family (`undefined` when it does).
 * The family is taken from the raw and the percent-decoded path (either is accepted).
 */
export function errorBodyProblem(
  path: string,
  accept: string | undefined,
  status: number,
  text: string,
): string | undefined {
  const normalized = normalizedPath(path)
  const families = new Set([familyOf(normalized), familyOf(tryDecode(normalized)), familyOf(path)])
  for (const f of families) if (matches(f, text, accept)) return undefined
  // The current-generation APIs: a registry row's `errorBody` is the body of its path's API family
  // (the path's first segment: `/receipts`, `/list`, `/profile`).
  const first = (p: string) => p.split('/')[1] ?? ''
  for (const r of RESOURCES)
    if (r.errorBody && first(r.path) === first(normalized) && r.errorBody.safeParse(jsonOf(text)).success)
      return undefined
  return `${status} on ${path.slice(0, 120)} (${[...families].join('|')}, accept ${accept ?? '-'}) has no documented error body: ${JSON.stringify(text.slice(0, 200))}`
}
