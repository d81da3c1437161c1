import {
  type AttendeeCalloutVersion,
  EventNotification,
  FetchAttendeeRequest,
  FetchAttendeeResponse,
  FetchListRequest,
  FetchListResponse,
} from '@concurkit/contract'
import {
  EVENT_NOTIFICATION_ELEMENTS,
  FETCH_ATTENDEE_XML,
  FETCH_LIST_ITEM_ELEMENTS,
  FETCH_LIST_REQUEST_ELEMENTS,
  FETCH_LIST_XML,
  fetchAttendeeRequestElements,
  fetchAttendeeResponseElements,
} from '@concurkit/contract/internal'
import type { z } from 'zod'
import { CalloutSchemaError, CalloutXmlError } from './errors.js'
import { buildXml, parseXml, type XmlLimits, type XmlObject, type XmlValue } from './xml.js'

// ------------------------------------------------------------------------------------------------
// helpers

function expectRoot(doc: XmlObject, root: string): XmlObject | '' {
  const names = Object.keys(doc)
  if (names.length !== 1 || names[0] !== root) {
    throw new CalloutXmlError(
      `expected root element <${root}>, got <${names.join('>, <') || 'none'}>`,
      names[0],
    )
  }
  const value = doc[root]
  if (value === '' || value === undefined) return ''
  if (typeof value === 'string') throw new CalloutXmlError(`<${root}> must hold elements, not text`, root)
  if (Array.isArray(value)) throw new CalloutXmlError(`<${root}> appears more than once`, root)
  return value
}

function textOf(parent: XmlObject, name: string, at: string, required: boolean): string {
  const value = parent[name]
  if (value === undefined) {
    if (required) throw new CalloutXmlError(`missing element <${name}>`, `${at}/${name}`)
    return ''
  }
  if (Array.isArray(value))
    throw new CalloutXmlError(`element <${name}> appears more than once`, `${at}/${name}`)
  if (typeof value !== 'string')
    throw new CalloutXmlError(`element <${name}> must hold text, not elements`, `${at}/${name}`)
  return value
}

function onlyKnown(parent: XmlObject, known: readonly string[], at: string, hint = ''): void {
  for (const name of Object.keys(parent)) {
    if (!known.includes(name))
      throw new CalloutXmlError(`unexpected element <${name}>${hint}`, `${at}/${name}`)
  }
}

function records(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  element: (path: PropertyKey[]) => string,
): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const at = element(issue?.path ?? [])
  throw new CalloutSchemaError(`${at}: ${issue?.message ?? 'invalid value'}`, at)
}

const toNumber = (v: string): number | string => (/^\s*\d+\s*$/.test(v) ? Number(v) : v)

// ------------------------------------------------------------------------------------------------
// Fetch Attendee

const { requestRoot: ATT_REQ, responseRoot: ATT_RES, record: ATT } = FETCH_ATTENDEE_XML

/**
 * Parses a Fetch Attendee request (what Concur sends). Blank or absent search fields become ''.
 *
 * @example
 * const req = parseFetchAttendeeRequest(xml, '2.0'); req.LastName // 'Miller'
 */
export function parseFetchAttendeeRequest(
  xml: string,
  version: AttendeeCalloutVersion = '2.0',
  limits?: XmlLimits,
): FetchAttendeeRequest {
  const root = expectRoot(parseXml(xml, [], limits), ATT_REQ)
  const at = `${ATT_REQ}/${ATT}`
  const attendee = root === '' ? undefined : root[ATT]
  if (attendee === undefined) throw new CalloutXmlError(`missing element <${ATT}>`, at)
  if (typeof attendee !== 'object' || Array.isArray(attendee))
    throw new CalloutXmlError(`<${ATT}> must hold the search fields`, at)
  const out: Record<string, unknown> = { version }
  for (const name of fetchAttendeeRequestElements(version)) {
    const value = textOf(attendee, name, at, name === 'MaximumNumberRecords')
    out[name] = name === 'MaximumNumberRecords' ? toNumber(value) : value
  }
  return validate(FetchAttendeeRequest, out, (p) => `${at}/${String(p[0] ?? '')}`)
}

/**
 * Writes a Fetch Attendee request exactly as Concur does (every field, blanks as empty elements).
 *
 * @example
 * serializeFetchAttendeeRequest({ ...req, LastName: 'Miller' })
 */
export function serializeFetchAttendeeRequest(request: FetchAttendeeRequest): string {
  const fields: Record<string, string> = {}
  const source = request as unknown as Record<string, string | number | undefined>
  for (const name of fetchAttendeeRequestElements(request.version)) fields[name] = String(source[name] ?? '')
  return buildXml({ [ATT_REQ]: { [ATT]: fields } })
}

/**
 * Parses and validates a Fetch Attendee answer (what a connector returns). Every attendee must
 * carry every element of the version; the element at fault is named in the error.
 *
 * @example
 * parseFetchAttendeeResponse('<AttendeeSearchResponse/>', '2.0') // { attendees: [] }
 */
export function parseFetchAttendeeResponse(
  xml: string,
  version: AttendeeCalloutVersion = '2.0',
  limits?: XmlLimits,
): FetchAttendeeResponse {
  const root = expectRoot(parseXml(xml, [`${ATT_RES}.${ATT}`], limits), ATT_RES)
  if (root === '') return { attendees: [] }
  onlyKnown(root, [ATT], ATT_RES)
  const expected = fetchAttendeeResponseElements(version)
  const attendees = records(root[ATT]).map((record, i) => {
    const at = `${ATT_RES}/${ATT}[${i + 1}]`
    const fields: XmlObject = record === '' ? {} : (record as XmlObject)
    if (typeof record === 'string' && record !== '')
      throw new CalloutXmlError(`<${ATT}> must hold elements, not text`, at)
    const out: Record<string, string> = {}
    for (const name of expected) out[name] = textOf(fields, name, at, true)
    onlyKnown(fields, expected, at, version === '1.0' ? ' (not part of Fetch Attendee v1.0)' : '')
    return out
  })
  return validate(FetchAttendeeResponse, { attendees }, (p) =>
    p[0] === 'attendees' && typeof p[1] === 'number'
      ? `${ATT_RES}/${ATT}[${p[1] + 1}]/${String(p[2] ?? '')}`
      : ATT_RES,
  )
}

/**
 * Writes a Fetch Attendee answer exactly as Concur expects: every element of the version, in
 * the documented order; `<AttendeeSearchResponse/>` when there is no match.
 *
 * @example
 * serializeFetchAttendeeResponse({ attendees: [] }) // '<?xml …?>\n<AttendeeSearchResponse/>\n'
 */
export function serializeFetchAttendeeResponse(
  response: FetchAttendeeResponse,
  version: AttendeeCalloutVersion = '2.0',
): string {
  if (response.attendees.length === 0) return buildXml({ [ATT_RES]: '' })
  const names = fetchAttendeeResponseElements(version)
  const list = response.attendees.map((a) => {
    const source = a as unknown as Record<string, string>
    return Object.fromEntries(names.map((n) => [n, source[n] ?? '']))
  })
  return buildXml({ [ATT_RES]: { [ATT]: list } })
}

// ------------------------------------------------------------------------------------------------
// Fetch List

const { requestRoot: LIST_REQ, responseRoot: LIST_RES, record: ITEM, codeByLevel: LEVELS } = FETCH_LIST_XML
const listRequestElement = (key: PropertyKey) =>
  FETCH_LIST_REQUEST_ELEMENTS.find(([k]) => k === key)?.[1] ?? (key === 'codeByLevel' ? LEVELS : String(key))

/**
 * Parses a Fetch List request (single- or multi-level list).
 *
 * @example
 * parseFetchListRequest(xml).query // 'San*'
 */
export function parseFetchListRequest(xml: string, limits?: XmlLimits): FetchListRequest {
  const root = expectRoot(parseXml(xml, [], limits), LIST_REQ)
  const fields: XmlObject = root === '' ? {} : root
  const out: Record<string, unknown> = {}
  for (const [key, element] of FETCH_LIST_REQUEST_ELEMENTS) {
    const value = textOf(fields, element, LIST_REQ, element === 'num-to-return' || element === 'search-by')
    out[key] = key === 'numToReturn' ? toNumber(value) : value
  }
  const levels = fields[LEVELS]
  if (levels !== undefined) {
    if (typeof levels === 'string') out.codeByLevel = levels === '' ? [] : [levels]
    else if (Array.isArray(levels))
      throw new CalloutXmlError(`element <${LEVELS}> appears more than once`, `${LIST_REQ}/${LEVELS}`)
    else {
      const names = Object.keys(levels)
        .filter((n) => /^level\d+$/.test(n))
        .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
      out.codeByLevel = names.map((n) => textOf(levels, n, `${LIST_REQ}/${LEVELS}`, true))
    }
  }
  return validate(FetchListRequest, out, (p) => `${LIST_REQ}/${listRequestElement(p[0] ?? '')}`)
}

/**
 * Writes a Fetch List request exactly as Concur does (`code-by-level` only for multi-level lists).
 *
 * @example
 * serializeFetchListRequest({ longCode: '', shortCode: '', query: 'Alph*', searchBy: 'TEXT', langCode: 'EN', numToReturn: 80,
 *   protectedListKey: '', listName: '', connectorVersion: '', configOptions: '' })
 */
export function serializeFetchListRequest(request: FetchListRequest): string {
  const body: Record<string, unknown> = {}
  for (const [key, element] of FETCH_LIST_REQUEST_ELEMENTS) body[element] = String(request[key])
  if (request.codeByLevel !== undefined) {
    body[LEVELS] = request.codeByLevel.length
      ? Object.fromEntries(request.codeByLevel.map((v, i) => [`level${i + 1}`, v]))
      : ''
  }
  return buildXml({ [LIST_REQ]: body })
}

/**
 * Parses and validates a Fetch List answer (what a connector returns).
 *
 * @example
 * parseFetchListResponse('<fetch-list-response></fetch-list-response>') // { items: [] }
 */
export function parseFetchListResponse(xml: string, limits?: XmlLimits): FetchListResponse {
  const root = expectRoot(parseXml(xml, [`${LIST_RES}.${ITEM}`], limits), LIST_RES)
  if (root === '') return { items: [] }
  onlyKnown(root, [ITEM], LIST_RES)
  const elements = FETCH_LIST_ITEM_ELEMENTS.map(([, e]) => e)
  const items = records(root[ITEM]).map((record, i) => {
    const at = `${LIST_RES}/${ITEM}[${i + 1}]`
    if (typeof record === 'string' && record !== '')
      throw new CalloutXmlError(`<${ITEM}> must hold elements, not text`, at)
    const fields: XmlObject = record === '' ? {} : (record as XmlObject)
    const out: Record<string, string> = {}
    for (const [key, element] of FETCH_LIST_ITEM_ELEMENTS) out[key] = textOf(fields, element, at, true)
    onlyKnown(fields, elements, at)
    return out
  })
  return validate(FetchListResponse, { items }, (p) => {
    const element = FETCH_LIST_ITEM_ELEMENTS.find(([k]) => k === p[2])?.[1] ?? String(p[2] ?? '')
    return typeof p[1] === 'number' ? `${LIST_RES}/${ITEM}[${p[1] + 1}]/${element}` : LIST_RES
  })
}

/**
 * Writes a Fetch List answer exactly as Concur expects.
 *
 * @example
 * serializeFetchListResponse({ items: [{ code: 'US-W-CA-SF', shortCode: 'SF', text: 'San Francisco', matchValue: 'San Francisco' }] })
 */
export function serializeFetchListResponse(response: FetchListResponse): string {
  if (response.items.length === 0) return buildXml({ [LIST_RES]: '' })
  const items = response.items.map((item) =>
    Object.fromEntries(FETCH_LIST_ITEM_ELEMENTS.map(([key, element]) => [element, item[key]])),
  )
  return buildXml({ [LIST_RES]: { [ITEM]: items } })
}

// ------------------------------------------------------------------------------------------------
// Event Notification

/**
 * Parses an event notification (`<Notification>`).
 *
 * @example
 * parseEventNotification(xml).ObjectType // 'EXPRPT'
 */
export function parseEventNotification(xml: string, limits?: XmlLimits): EventNotification {
  const root = expectRoot(parseXml(xml, [], limits), 'Notification')
  const fields: XmlObject = root === '' ? {} : root
  const out: Record<string, string> = {}
  for (const name of EVENT_NOTIFICATION_ELEMENTS)
    out[name] = textOf(fields, name, 'Notification', name !== 'Context')
  return validate(EventNotification, out, (p) => `Notification/${String(p[0] ?? '')}`)
}

/**
 * Writes an event notification exactly as Concur does.
 *
 * @example
 * serializeEventNotification({ EventType: 'Report Entered Expense Report Workflow Step - SUBMIT', ObjectType: 'EXPRPT', ObjectURI: '…', EventDateTime: '2012-05-01', Context: '' })
 */
export function serializeEventNotification(notification: EventNotification): string {
  return buildXml({
    Notification: Object.fromEntries(EVENT_NOTIFICATION_ELEMENTS.map((n) => [n, notification[n]])),
  })
}
