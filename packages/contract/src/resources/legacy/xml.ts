import type { Scope } from '../../oauth.js'

/**
 * How a record of an XML-only resource (v1.0, v1.1, v2.0, extract, trips) looks once parsed.
 *
 * The convention, shared by the mock (which builds the XML) and the client (which parses it):
 * - parse with fast-xml-parser and `xmlParserOptions(mapping)`: namespace prefixes removed, text kept
 *   as strings (`parseTagValue: false`), attributes kept under `@_` so `i:nil` can be seen;
 * - then `normalizeXmlNode(node, mapping)`: an element carrying `i:nil="true"` becomes `null`, other
 *   attributes are dropped, an empty element is `''`, and every element named in `mapping.arrays` is an
 *   array (an empty list container such as `<AllocationsList />` becomes `{ Allocation: [] }`);
 * - element names are kept as field names, exactly as Concur spells them (`Report-Full-Details-Url`,
 *   `job-link`); `Y`/`N` flags stay the strings `'Y'`/`'N'`; amounts stay decimal strings
 *   (`'283.88000000'`), dates stay Concur's strings (`2010-08-19T00:00:00`).
 */

/** One step of a multi-request walk (a resource whose records sit under a tree of list calls). */
export interface XmlWalkStep {
  /** Path of the request, with `{Name}` placeholders filled from values carried by earlier steps. */
  readonly path: string
  /** Element path from the document root to the repeating element of this step. */
  readonly listPath: readonly string[]
  /** Values this step's elements hand to later steps and to the final record: `{ carriedName: element }`. */
  readonly carry?: Readonly<Record<string, string>>
  /** Namespace of this step's document (the row's `xml.namespace` when absent). */
  readonly namespace?: string
  /** Concur's other spellings of `path` that answer the same (e.g. the swagger's). */
  readonly aliases?: readonly string[]
}

/**
 * A further endpoint served with an XML-only resource besides its list (`path`), its item
 * (`itemPath`), its create (`POST path`) and its walk steps: a sub-resource (an extract job's
 * status or file), a view of a record under other element names, or an action.
 *
 * @example
 * LEGACY_XML_MAPPINGS['extract-jobs']?.endpoints?.file?.path // '/api/expense/extract/v1.0/{DefinitionID}/job/{JobID}/file'
 */
export interface LegacyEndpoint {
  readonly method: 'GET' | 'POST'
  /** Path with `{Name}` placeholders. */
  readonly path: string
  /** Concur's other spellings of `path` that answer the same. */
  readonly aliases?: readonly string[]
  /** Root element of the XML answer, when the answer is an XML document. */
  readonly root?: string
  /** Namespace of the answer's root element. */
  readonly namespace?: string
  /** Root element of the XML request body (POST). */
  readonly requestRoot?: string
  /** Scope the endpoint requires (the row's `scope` when absent). */
  readonly scope?: Scope
}

/** How to read one XML-only resource with the parsing convention above. */
export interface LegacyXmlMapping {
  /** Element path from the document root to the repeating record element. */
  readonly listPath: readonly string[]
  /** The same, when the response is the paged `ConnectResponse` envelope (trips with `includeMetadata=true`). */
  readonly pagedListPath?: readonly string[]
  /** Element path of the single-record response (`itemPath` of the registry row), when there is one. */
  readonly itemRoot?: string
  /** Element names that always parse as arrays (repeating elements). */
  readonly arrays: readonly string[]
  /** List containers whose empty form (`<AllocationsList />`) means "no items": `{ container: itemElement }`. */
  readonly containers?: Readonly<Record<string, string>>
  /** Element names that may be `i:nil="true"` (parsed as `null`). */
  readonly nillable: readonly string[]
  /** Fields that together identify a record (the first is the registry row's `idField`). */
  readonly key: readonly string[]
  /**
   * For resources read through several calls: the steps, in order; the last step's elements are the
   * records, merged with the values carried by the earlier steps.
   */
  readonly walk?: readonly XmlWalkStep[]
  /**
   * For fan-out resources: how the placeholder of `path` is filled from each record of the parent
   * resource (`from` field; `lastPathSegment` when the parent holds a URL whose last segment is the id).
   */
  readonly fanout?: {
    readonly param: string
    readonly from: string
    readonly take: 'value' | 'lastPathSegment'
  }
  /**
   * Concur serves only the token owner's records (no user parameter): a company-wide extraction is
   * the union over the users' own tokens. The mock's manifest counts the whole company; its `user`
   * filter (a login) narrows to one user.
   */
  readonly perUser?: boolean
  /**
   * Queries whose answers together hold every record the caller may see (their union, without
   * duplicates). Without it, one request with no parameters returns everything.
   */
  readonly completeQueries?: readonly Readonly<Record<string, string>>[]
  /**
   * When one answer is capped (`paging.cap`), split the query into windows of this parameter pair
   * and bisect any window whose answer reaches the cap.
   */
  readonly partition?: { readonly after: string; readonly before: string; readonly format: 'datetime' }
  /** Further endpoints served with the resource, by name (see `LegacyEndpoint`). */
  readonly endpoints?: Readonly<Record<string, LegacyEndpoint>>
}

/** Options for fast-xml-parser's `XMLParser` (plain data plus one predicate; no I/O). */
export interface XmlParserOptions {
  readonly ignoreAttributes: false
  readonly attributeNamePrefix: '@_'
  readonly removeNSPrefix: true
  readonly parseTagValue: false
  readonly parseAttributeValue: false
  readonly trimValues: true
  readonly ignoreDeclaration: true
  readonly isArray: (tagName: string) => boolean
}

/**
 * The fast-xml-parser options that read a resource's XML with the shared convention.
 *
 * @example
 * const parser = new XMLParser(xmlParserOptions(LEGACY_XML_MAPPINGS['company-card-transactions']))
 */
export function xmlParserOptions(mapping: Pick<LegacyXmlMapping, 'arrays'>): XmlParserOptions {
  const arrays = new Set(mapping.arrays)
  return {
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    isArray: (tagName: string) => arrays.has(tagName),
  }
}

/** A parsed-and-normalised XML value: a string, `null` (nil), an array or an element object. */
export type XmlValue = string | null | XmlValue[] | { [element: string]: XmlValue }

/**
 * Normalises a node parsed with `xmlParserOptions`: `i:nil="true"` → `null`, attributes dropped,
 * empty list containers → `{ item: [] }`. Pure; returns a new value.
 *
 * @example
 * normalizeXmlNode({ PaidDate: { '@_nil': 'true' }, Cols: '' }, mapping) // { PaidDate: null, Cols: '' }
 */
export function normalizeXmlNode(node: unknown, mapping?: Pick<LegacyXmlMapping, 'containers'>): XmlValue {
  return normalize(node, undefined, mapping?.containers ?? {})
}

function normalize(
  node: unknown,
  name: string | undefined,
  containers: Readonly<Record<string, string>>,
): XmlValue {
  if (node === null || node === undefined) return null
  if (Array.isArray(node)) return node.map((n) => normalize(n, name, containers))
  if (typeof node !== 'object') {
    const item = name === undefined ? undefined : containers[name]
    if (item !== undefined && node === '') return { [item]: [] }
    return String(node)
  }
  const obj = node as Record<string, unknown>
  if (obj['@_nil'] === 'true') return null
  const out: { [element: string]: XmlValue } = {}
  let hasElement = false
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@_')) continue
    if (k === '#text') continue
    hasElement = true
    out[k] = normalize(v, k, containers)
  }
  if (!hasElement) {
    const item = name === undefined ? undefined : containers[name]
    if (item !== undefined) return { [item]: [] }
    return typeof obj['#text'] === 'string' ? obj['#text'] : ''
  }
  if (name !== undefined) {
    const item = containers[name]
    if (item !== undefined && !(item in out)) out[item] = []
  }
  return out
}

/**
 * Reads the records of a parsed document along an element path (`['CardCharges', 'CardCharge']`).
 * Missing or empty lists give `[]`.
 *
 * @example
 * recordsAt(parsed, ['CardCharges', 'CardCharge'])
 */
export function recordsAt(doc: unknown, path: readonly string[]): unknown[] {
  let cur: unknown = doc
  for (const step of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return []
    cur = (cur as Record<string, unknown>)[step]
    if (cur === undefined || cur === '') return []
  }
  if (cur === undefined || cur === null || cur === '') return []
  return Array.isArray(cur) ? cur : [cur]
}
