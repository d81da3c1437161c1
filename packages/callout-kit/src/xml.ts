import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import { utf8Length } from './bytes.js'
import { CalloutXmlError, CalloutXmlRefusedError } from './errors.js'

/** Limits applied to every callout document before and while it is parsed. */
export interface XmlLimits {
  /** Largest accepted document in bytes (UTF-8). Default 1 MiB. */
  maxBytes?: number
  /** Deepest accepted element nesting. Default 16 (Concur's documents nest 3 deep). */
  maxDepth?: number
}

export const DEFAULT_XML_LIMITS = Object.freeze({ maxBytes: 1024 * 1024, maxDepth: 16 })

/** A parsed element: text, or child elements by name (repeated ones as arrays). */
export type XmlValue = string | XmlObject | XmlValue[]
export interface XmlObject {
  [name: string]: XmlValue
}

const DTD = /<!DOCTYPE|<!ENTITY/i

/**
 * Parses an untrusted XML document into plain objects. Refuses DTDs (so no entity expansion and no
 * external entities), oversize documents and deep nesting; reports the element at fault of a
 * malformed document. Values stay strings; attributes are ignored (Concur's callouts carry none).
 *
 * @example
 * parseXml('<Notification><EventType>X</EventType></Notification>') // { Notification: { EventType: 'X' } }
 */
export function parseXml(xml: string, arrays: readonly string[] = [], limits: XmlLimits = {}): XmlObject {
  const maxBytes = limits.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes
  const maxDepth = limits.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth
  if (xml.length > maxBytes || utf8Length(xml) > maxBytes)
    throw new CalloutXmlRefusedError('too-large', `document larger than ${maxBytes} bytes`)
  if (DTD.test(xml))
    throw new CalloutXmlRefusedError('doctype', 'DTD and entity declarations are not accepted')
  if (xml.trim() === '') throw new CalloutXmlError('empty document')
  // A linear pre-scan refuses deep nesting before the validator walks the whole document.
  if (nestingExceeds(xml, maxDepth))
    throw new CalloutXmlRefusedError('depth', `elements nested deeper than ${maxDepth}`)
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const element = /'([^']+)'/.exec(valid.err.msg)?.[1]
    throw new CalloutXmlError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`, element)
  }
  const arraySet = new Set(arrays)
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: true,
    maxNestedTags: maxDepth,
    isArray: (_name, jpath) => typeof jpath === 'string' && arraySet.has(jpath),
  })
  try {
    return parser.parse(xml) as XmlObject
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : 'unparsable'
    if (/nested/i.test(message))
      throw new CalloutXmlRefusedError('depth', `elements nested deeper than ${maxDepth}`)
    throw new CalloutXmlError(`malformed XML: ${message}`, undefined, { cause })
  }
}

const TAG = /<(\/?)[A-Za-z_][^\s/>]*[^>]*?(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g

/** Whether open elements nest deeper than `max` (one pass; comments and CDATA skipped). */
function nestingExceeds(xml: string, max: number): boolean {
  let depth = 0
  TAG.lastIndex = 0
  for (let m = TAG.exec(xml); m !== null; m = TAG.exec(xml)) {
    if (m[1] === undefined) continue // comment or CDATA
    if (m[1] === '/') depth--
    else if (m[2] !== '/' && ++depth > max) return true
  }
  return false
}

const builder = new XMLBuilder({
  format: true,
  indentBy: '    ',
  suppressEmptyNode: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressBooleanAttributes: false,
})

/**
 * Writes plain objects as XML with a declaration, 4-space indent and `<Empty/>` elements; key
 * order is element order, arrays repeat the element.
 *
 * @example
 * buildXml({ AttendeeSearchResponse: '' }) // '<?xml version="1.0" encoding="utf-8"?>\n<AttendeeSearchResponse/>\n'
 */
export function buildXml(document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(document) as string}`
}
