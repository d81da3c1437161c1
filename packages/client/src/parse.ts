import { LEGACY_XML_MAPPINGS, type LegacyXmlMapping, type ResourceDefinition } from '@concurkit/contract'
import {
  type JsonPage,
  normalizeXmlNode,
  readJsonPage,
  recordsAt,
  xmlParserOptions,
} from '@concurkit/contract/internal'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurClientError } from './errors.js'
import { compileFastCheck } from './fastcheck.js'

/** One parsed page of a list response. */
export interface ParsedPage {
  readonly items: unknown[]
  /** Absolute URL of the next page (v3 `NextPage`, trips `NextPageURL`), when there is one. */
  readonly next?: string
  /** Total items, when the API says (trips `TotalItems`). */
  readonly total?: number
  /** Total pages, when the API says (trips `TotalPages`). */
  readonly totalPages?: number
}

function invalid(message: string, cause?: unknown): ConcurClientError {
  return new ConcurClientError(CLIENT_ERROR_CODES.INVALID_RESPONSE, message, cause ? { cause } : undefined)
}

/** Parses a JSON body; a parse failure is an `INVALID_RESPONSE` (the transport retries it as truncated). */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw invalid(`response body is not valid JSON (${body.length} bytes)`, err)
  }
}

const NIL = '@_nil'

/** Normalises fast-xml-parser output: `i:nil="true"` → null, attributes (xmlns …) dropped. */
function normaliseXml(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normaliseXml)
  if (node === null || typeof node !== 'object') return node
  const obj = node as Record<string, unknown>
  if (obj[NIL] === 'true') return null
  const out: Record<string, unknown> = {}
  let text: unknown
  let hasChild = false
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@_')) continue
    if (k === '#text') {
      text = v
      continue
    }
    hasChild = true
    out[k] = normaliseXml(v)
  }
  if (!hasChild) return text ?? ''
  return out
}

/**
 * Parses Concur XML (namespace prefixes removed, every value a string, `i:nil` → null). Elements
 * named in `arrays` are always arrays, even with one child.
 *
 * @example
 * parseXml(Buffer.from('<CardCharges><CardCharge><ExpKey>CARRT</ExpKey></CardCharge></CardCharges>'), ['CardCharge'])
 * // { CardCharges: { CardCharge: [{ ExpKey: 'CARRT' }] } }
 */
export function parseXml(body: Buffer, arrays: readonly string[] = []): Record<string, unknown> {
  const text = body.toString('utf8')
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    processEntities: true,
    isArray: (name) => arrays.includes(name),
  })
  // fast-xml-parser is lenient with unclosed tags; validate first so a cut body is caught.
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw invalid(`response body is not well-formed XML: ${valid.err.msg}`)
  try {
    return normaliseXml(parser.parse(text)) as Record<string, unknown>
  } catch (err) {
    throw invalid('response body is not valid XML', err)
  }
}

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return []
  return Array.isArray(v) ? v : [v]
}

function findKey(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name]
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v
  return undefined
}

function emptyToUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
}

/** `"NextPage": "…"` or `null` closing a v3.0 JSON page (the member Concur writes last). */
const NEXT_PAGE_TAIL = /"NextPage"\s*:\s*(null|"(?:[^"\\]|\\.)*")\s*\}\s*$/

/**
 * The `NextPage` URL of a v3.0 JSON list page read from the end of its bytes, without parsing the
 * page: lets a walk request the next page while this one is parsed. `undefined` when the tail is
 * not the expected shape (or says there is no next page); the full parse stays authoritative.
 *
 * @example
 * peekNextPage(Buffer.from('{"Items":[],"NextPage":"https://x/y?offset=2"}')) // 'https://x/y?offset=2'
 */
export function peekNextPage(body: Buffer): string | undefined {
  const tail = body.subarray(Math.max(0, body.length - 4096)).toString('utf8')
  const m = NEXT_PAGE_TAIL.exec(tail)
  if (!m || m[1] === 'null') return undefined
  try {
    return emptyToUndefined(JSON.parse(m[1]!))
  } catch {
    return undefined
  }
}

/**
 * Parses one list page of a resource into raw items + paging facts, from JSON (`{Items, NextPage}`)
 * or XML (`<listRoot><item/>…`, or trips' `<ConnectResponse><Metadata><Paging>…<Data>`).
 */
export function parseListPage(
  def: ResourceDefinition,
  res: { body: Buffer; headers: Record<string, unknown> },
  pageUrl?: string,
): ParsedPage {
  if (def.paging.kind === 'json') {
    // A current-generation API: the row's paging strategy says where the records and the next page are.
    let page: JsonPage
    try {
      page = readJsonPage(def.paging, parseJson(res.body), pageUrl ?? 'http://localhost/')
    } catch (err) {
      if (err instanceof ConcurClientError) throw err
      throw invalid(`list response: ${(err as Error).message}`)
    }
    return {
      items: [...page.items],
      ...(page.next ? { next: page.next } : {}),
      ...(page.total !== undefined ? { total: page.total } : {}),
    }
  }
  const ctype = String(res.headers['content-type'] ?? '')
  const isXml = def.format === 'xml' || /xml/i.test(ctype)
  if (!isXml) {
    const json = parseJson(res.body)
    if (Array.isArray(json)) return { items: json }
    if (json === null || typeof json !== 'object') throw invalid('list response is not an object')
    const o = json as Record<string, unknown>
    const items = o.Items ?? o.items
    if (!Array.isArray(items)) throw invalid('list response has no Items array')
    const next = emptyToUndefined(o.NextPage)
    return { items, ...(next ? { next } : {}) }
  }
  const mapping = LEGACY_XML_MAPPINGS[def.name]
  if (mapping) return parseMappedPage(mapping, res.body)
  const xml = def.xml
  if (!xml) throw invalid(`resource ${def.name} has no XML naming in the registry`)
  const doc = parseXml(res.body, [xml.item])
  const connect = findKey(doc, 'ConnectResponse') as Record<string, unknown> | undefined
  if (connect && typeof connect === 'object') {
    const paging = ((findKey(connect, 'Metadata') as Record<string, unknown> | undefined)?.Paging ??
      {}) as Record<string, unknown>
    const data = (findKey(connect, 'Data') ?? {}) as Record<string, unknown>
    const list = findKey(data, xml.listRoot)
    const items =
      typeof list === 'object' && list !== null
        ? asArray(findKey(list as Record<string, unknown>, xml.item))
        : []
    const next = emptyToUndefined(paging.NextPageURL)?.replace(/\s+/g, '')
    const total = Number(paging.TotalItems)
    const totalPages = Number(paging.TotalPages)
    return {
      items,
      ...(next ? { next } : {}),
      ...(Number.isFinite(total) && paging.TotalItems !== undefined ? { total } : {}),
      ...(Number.isFinite(totalPages) && paging.TotalPages !== undefined ? { totalPages } : {}),
    }
  }
  const root = findKey(doc, xml.listRoot)
  if (root === undefined) {
    // A single record answered where a list was expected (e.g. `<Image>`), or an unexpected root.
    const item = findKey(doc, xml.item)
    if (item !== undefined) return { items: asArray(item) }
    throw invalid(`XML root <${xml.listRoot}> not found`)
  }
  if (root === '' || root === null) return { items: [] }
  return { items: asArray(findKey(root as Record<string, unknown>, xml.item)) }
}

/** Parses an XML document with the registry's shared convention (`xmlParserOptions` + `normalizeXmlNode`). */
export function parseMappedXml(mapping: LegacyXmlMapping, body: Buffer): unknown {
  const text = body.toString('utf8')
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw invalid(`response body is not well-formed XML: ${valid.err.msg}`)
  try {
    return normalizeXmlNode(
      new XMLParser({ ...xmlParserOptions(mapping), processEntities: true }).parse(text),
      mapping,
    )
  } catch (err) {
    throw invalid('response body is not valid XML', err)
  }
}

function parseMappedPage(mapping: LegacyXmlMapping, body: Buffer): ParsedPage {
  const doc = parseMappedXml(mapping, body) as Record<string, unknown>
  const connect = doc.ConnectResponse as Record<string, unknown> | undefined
  if (connect && typeof connect === 'object' && mapping.pagedListPath) {
    const paging = ((connect.Metadata as Record<string, unknown> | undefined)?.Paging ?? {}) as Record<
      string,
      unknown
    >
    const items = recordsAt(doc, mapping.pagedListPath)
    const next = emptyToUndefined(paging.NextPageURL)?.replace(/\s+/g, '')
    const total = Number(paging.TotalItems)
    const totalPages = Number(paging.TotalPages)
    return {
      items,
      ...(next ? { next } : {}),
      ...(paging.TotalItems !== undefined && Number.isFinite(total) ? { total } : {}),
      ...(paging.TotalPages !== undefined && Number.isFinite(totalPages) ? { totalPages } : {}),
    }
  }
  return { items: recordsAt(doc, mapping.listPath) }
}

/** Parses a single record (GET by id) from JSON or XML. */
export function parseItem(
  def: ResourceDefinition,
  res: { body: Buffer; headers: Record<string, unknown> },
): unknown {
  const ctype = String(res.headers['content-type'] ?? '')
  if (def.format !== 'xml' && !/xml/i.test(ctype)) return parseJson(res.body)
  const mapping = LEGACY_XML_MAPPINGS[def.name]
  if (mapping) {
    const doc = parseMappedXml(mapping, res.body) as Record<string, unknown>
    const root = mapping.itemRoot ?? Object.keys(doc)[0]
    if (!root || !(root in doc)) throw invalid(`XML root <${mapping.itemRoot ?? '?'}> not found`)
    // The mapping makes list elements arrays (`job` in `<jobs>`); as a document root it is one record.
    const item = doc[root]
    if (Array.isArray(item)) {
      if (item.length !== 1) throw invalid(`expected one <${root}>, got ${item.length}`)
      return item[0]
    }
    return item
  }
  const doc = parseXml(res.body)
  const keys = Object.keys(doc)
  const name = def.xml?.item && findKey(doc, def.xml.item) !== undefined ? def.xml.item : keys[0]
  if (!name) throw invalid('empty XML document')
  const v = findKey(doc, name)
  return v
}

/**
 * Validates one record against the registry's item schema. A mismatch throws
 * `CONCUR_INVALID_RESPONSE` with zod's `prettifyError` text (not retried: the body was complete).
 */
export function validateItem<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  // The common case (a valid record zod would return unchanged) skips zod's copy of every record.
  if (compileFastCheck(schema)(raw)) return raw as T
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  const err = new ConcurClientError(
    CLIENT_ERROR_CODES.INVALID_RESPONSE,
    `${where}: record does not match the schema\n${z.prettifyError(r.error)}`,
    { cause: r.error },
  )
  Object.defineProperty(err, 'schemaMismatch', { value: true })
  throw err
}

/** Whether an error is a schema mismatch (complete body, wrong shape): not worth a retry. */
export function isSchemaMismatch(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { schemaMismatch?: boolean }).schemaMismatch === true
  )
}
