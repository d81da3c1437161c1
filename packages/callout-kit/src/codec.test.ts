import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  parseEventNotification,
  parseFetchAttendeeRequest,
  parseFetchAttendeeResponse,
  parseFetchListRequest,
  parseFetchListResponse,
  serializeEventNotification,
  serializeFetchAttendeeRequest,
  serializeFetchAttendeeResponse,
  serializeFetchListRequest,
  serializeFetchListResponse,
} from './codec.js'
import { CalloutSchemaError, CalloutXmlError, CalloutXmlRefusedError } from './errors.js'

const example = (name: string) =>
  readFileSync(new URL(`../../../fixtures/concur-examples/${name}`, import.meta.url), 'utf8')

/** Element names in document order, ignoring the declaration and whitespace. */
const elementNames = (xml: string) => [...xml.matchAll(/<([A-Za-z][\w.-]*)/g)].map((m) => m[1])
/** Canonical text: no declaration, no indentation, `<a></a>` and `<a />` as `<a/>`. */
const canonical = (xml: string) =>
  xml
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/>\s+</g, '><')
    .replace(/<([\w.-]+)\s*\/>/g, '<$1/>')
    .replace(/<([\w.-]+)><\/\1>/g, '<$1/>')
    .trim()

describe('Fetch Attendee', () => {
  it('round-trips the documented request (v2.0) with exact element names and order', () => {
    const xml = example('callout-fetch-attendee-request.xml')
    const req = parseFetchAttendeeRequest(xml, '2.0')
    expect(req).toMatchObject({
      FirstName: 'Chris',
      LastName: 'Miller',
      MaximumNumberRecords: 500,
      Custom8: 'North America',
      Custom25: '',
    })
    const out = serializeFetchAttendeeRequest(req)
    expect(canonical(out)).toBe(canonical(xml))
    expect(parseFetchAttendeeRequest(out, '2.0')).toEqual(req)
  })

  it('v1.0 has Custom1..Custom20 only', () => {
    const req = parseFetchAttendeeRequest(example('callout-fetch-attendee-request.xml'), '1.0')
    expect(req.version).toBe('1.0')
    expect('Custom21' in req).toBe(false)
    const names = elementNames(serializeFetchAttendeeRequest(req))
    expect(names).toContain('Custom20')
    expect(names).not.toContain('Custom21')
  })

  it('round-trips the documented response and the empty response', () => {
    const xml = example('callout-fetch-attendee-response.xml')
    const res = parseFetchAttendeeResponse(xml, '2.0')
    expect(res.attendees).toHaveLength(1)
    expect(res.attendees[0]).toMatchObject({ ExternalID: '1234567890', Custom23: 'Patient ID 576' })
    expect(canonical(serializeFetchAttendeeResponse(res, '2.0'))).toBe(canonical(xml))
    const empty = example('callout-fetch-attendee-response-empty.xml')
    expect(parseFetchAttendeeResponse(empty)).toEqual({ attendees: [] })
    expect(canonical(serializeFetchAttendeeResponse({ attendees: [] }))).toBe(canonical(empty))
  })

  it('names the element at fault of an incomplete or invalid answer', () => {
    const xml = example('callout-fetch-attendee-response.xml')
    const missing = xml.replace('<Custom15>100 Main Street, Bellevue, WA 98040</Custom15>', '')
    expect(() => parseFetchAttendeeResponse(missing)).toThrow(CalloutXmlError)
    try {
      parseFetchAttendeeResponse(missing)
    } catch (e) {
      expect((e as CalloutXmlError).element).toBe('AttendeeSearchResponse/Attendee[1]/Custom15')
    }
    const blankName = xml.replace('<FirstName>Chris</FirstName>', '<FirstName/>')
    expect(() => parseFetchAttendeeResponse(blankName)).toThrow(CalloutSchemaError)
    const malformed = xml.replace('</LastName>', '</Lastname>')
    expect(() => parseFetchAttendeeResponse(malformed)).toThrow(/LastName/)
    // v1.0 answers must not carry v2.0 fields
    expect(() => parseFetchAttendeeResponse(xml, '1.0')).toThrow(/Custom21/)
  })
})

describe('Fetch List', () => {
  it('round-trips the single- and multi-level requests', () => {
    for (const name of [
      'callout-fetch-list-request-single-level.xml',
      'callout-fetch-list-request-multi-level.xml',
    ]) {
      const xml = example(name)
      const req = parseFetchListRequest(xml)
      expect(canonical(serializeFetchListRequest(req))).toBe(canonical(xml))
      expect(parseFetchListRequest(serializeFetchListRequest(req))).toEqual(req)
    }
    const multi = parseFetchListRequest(example('callout-fetch-list-request-multi-level.xml'))
    expect(multi).toMatchObject({
      longCode: 'US-W-CA',
      shortCode: 'CA',
      query: 'San*',
      numToReturn: 80,
      codeByLevel: ['US', 'W', 'CA'],
    })
    expect(
      parseFetchListRequest(example('callout-fetch-list-request-single-level.xml')).codeByLevel,
    ).toBeUndefined()
  })

  it('round-trips the response and the empty response', () => {
    const xml = example('callout-fetch-list-response.xml')
    const res = parseFetchListResponse(xml)
    expect(res.items.map((i) => i.code)).toEqual(['US-W-CA-SF', 'US-W-CA-SD', 'US-W-CA-SJ'])
    expect(canonical(serializeFetchListResponse(res))).toBe(canonical(xml))
    expect(parseFetchListResponse(example('callout-fetch-list-response-empty.xml'))).toEqual({ items: [] })
    expect(canonical(serializeFetchListResponse({ items: [] }))).toBe(
      canonical(example('callout-fetch-list-response-empty.xml')),
    )
  })

  it('names a missing item element', () => {
    const bad = example('callout-fetch-list-response.xml').replace('<match-value>San Diego</match-value>', '')
    expect(() => parseFetchListResponse(bad)).toThrow(
      expect.objectContaining({ element: 'fetch-list-response/item[2]/match-value' }),
    )
  })
})

describe('Event Notification', () => {
  it('round-trips the documented notification', () => {
    const xml = example('callout-event-notification-request.xml')
    const n = parseEventNotification(xml)
    expect(n).toMatchObject({ ObjectType: 'EXPRPT', EventDateTime: '2012-05-01', Context: '' })
    expect(canonical(serializeEventNotification(n))).toBe(canonical(xml))
  })
})

describe('hostile XML', () => {
  const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Notification><EventType>&lol2;</EventType></Notification>`
  const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Notification><EventType>&xxe;</EventType></Notification>`
  it('refuses DTDs, entity expansion and external entities', () => {
    expect(() => parseEventNotification(bomb)).toThrow(CalloutXmlRefusedError)
    expect(() => parseEventNotification(xxe)).toThrow(CalloutXmlRefusedError)
  })
  it('refuses deep nesting and oversize documents', () => {
    const deep = `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`
    expect(() => parseEventNotification(deep)).toThrow(expect.objectContaining({ reason: 'depth' }))
    const big = `<Notification><Context>${'x'.repeat(2 * 1024 * 1024)}</Context></Notification>`
    expect(() => parseEventNotification(big)).toThrow(expect.objectContaining({ reason: 'too-large' }))
  })
  it('escapes text when writing', () => {
    const out = serializeEventNotification({
      EventType: 'a <b> & "c"',
      ObjectType: 'EXPRPT',
      ObjectURI: 'https://x/?a=1&b=2',
      EventDateTime: '2020-01-01',
      Context: '',
    })
    expect(out).toContain('a &lt;b&gt; &amp;')
    expect(parseEventNotification(out).EventType).toBe('a <b> & "c"')
  })
})
