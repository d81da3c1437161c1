import { readFileSync } from 'node:fs'
import { LEGACY_XML_MAPPINGS, type LegacyXmlMapping, type ResourceName } from '@concurkit/contract'
import { normalizeXmlNode, recordsAt, xmlParserOptions } from '@concurkit/contract/internal'
import { XMLParser } from 'fast-xml-parser'
import type { MockConcur } from '../../mock.js'

/** A Concur documentation sample from the repository's fixtures. */
export function exampleXml(name: string): string {
  return readFileSync(new URL(`../../../../../fixtures/concur-examples/${name}`, import.meta.url), 'utf8')
}

/** Issues an access token straight from the token service (user *i*, or a company token). */
export { issueToken as tokenFor } from '../v3-testing.js'

/** GET on the company's datacenter app with a bearer token. */
export async function get(mock: MockConcur, path: string, token: string, company = 0): Promise<Response> {
  const c = mock.state.companies[company]!
  return mock.fetch(`${mock.state.baseUrl(c.datacenter)}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
}

/** Parses a body with the shared convention and returns the normalised records at `path`. */
export function parseRecords(
  name: ResourceName,
  xml: string,
  path?: readonly string[],
): Record<string, unknown>[] {
  const mapping = LEGACY_XML_MAPPINGS[name] as LegacyXmlMapping
  const doc = new XMLParser(xmlParserOptions(mapping)).parse(xml)
  return recordsAt(doc, path ?? mapping.listPath).map(
    (r) => normalizeXmlNode(r, mapping) as Record<string, unknown>,
  )
}

type ValueType = 'empty' | 'nil' | 'int' | 'decimal' | 'datetime' | 'yn' | 'bool' | 'url' | 'text'

function typeOf(v: string): ValueType {
  const s = v.trim()
  if (s === '') return 'empty'
  if (/^[YN]$/.test(s)) return 'yn'
  if (/^(true|false)$/.test(s)) return 'bool'
  if (/^-?\d+$/.test(s)) return 'int'
  if (/^-?\d+\.\d+%?$/.test(s)) return 'decimal'
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/.test(s)) return 'datetime'
  if (/^https?:\/\//.test(s)) return 'url'
  return 'text'
}

/** Element paths of a document (root included, namespaces and attributes left out) with their value types. */
export function elementShape(xml: string): Map<string, Set<ValueType>> {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    ignoreDeclaration: true,
  }).parse(xml) as Record<string, unknown>
  const out = new Map<string, Set<ValueType>>()
  const add = (path: string, t: ValueType) => {
    const s = out.get(path) ?? new Set<ValueType>()
    out.set(path, s)
    s.add(t)
  }
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, path)
      return
    }
    if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>
      if (obj['@_nil'] === 'true') return add(path, 'nil')
      const children = Object.keys(obj).filter((k) => !k.startsWith('@_') && k !== '#text')
      if (children.length === 0) return add(path, typeOf(String(obj['#text'] ?? '')))
      add(path, 'empty')
      for (const k of children) walk(obj[k], `${path}/${k}`)
      return
    }
    add(path, typeOf(String(node ?? '')))
  }
  for (const [k, v] of Object.entries(doc)) walk(v, k)
  return out
}

/**
 * Differences between the mock's document and Concur's sample: missing or extra element paths, and
 * value types that do not match (an empty or nil value matches anything; an integer may stand where
 * the sample has text, e.g. a numeric confirmation number).
 */
export function shapeDifferences(
  mockXml: string,
  sampleXml: string,
  options: { ignoreExtra?: readonly string[] } = {},
): string[] {
  const mine = elementShape(mockXml)
  const theirs = elementShape(sampleXml)
  const diffs: string[] = []
  for (const path of theirs.keys()) if (!mine.has(path)) diffs.push(`missing ${path}`)
  for (const path of mine.keys()) {
    if (theirs.has(path) || options.ignoreExtra?.some((p) => path.startsWith(p))) continue
    diffs.push(`extra ${path}`)
  }
  const loose = new Set<ValueType>(['empty', 'nil'])
  for (const [path, types] of mine) {
    const expected = theirs.get(path)
    if (!expected) continue
    const exp = [...expected].filter((t) => !loose.has(t))
    if (exp.length === 0) continue
    for (const t of types) {
      if (loose.has(t) || exp.includes(t)) continue
      if (t === 'int' && (exp.includes('text') || exp.includes('decimal'))) continue
      if (t === 'decimal' && exp.includes('text')) continue
      diffs.push(`type of ${path}: ${t}, sample ${exp.join('|')}`)
    }
  }
  return diffs
}
