import {
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_SAP_SCHEMA,
  SCIM_SETTINGS_SCHEMA,
  SCIM_USER_SCHEMA,
  type ScimPatchOperation,
  UPS_EXTENSION_SCHEMAS,
} from '@concurkit/contract'
import { ScimHttpError } from './scim-error.js'

/** Every schema URN a PatchOp path may start with (longest first, so `…:User` never shadows `…:UserPreference`). */
const URNS = [
  SCIM_USER_SCHEMA,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_SAP_SCHEMA,
  SCIM_SETTINGS_SCHEMA,
  ...UPS_EXTENSION_SCHEMAS,
].sort((a, b) => b.length - a.length)

/** Attributes a PatchOp may not touch: read-only (`id`, `meta`) and immutable (`companyId`). */
const PROTECTED = new Set(['id', 'meta', 'schemas', `${SCIM_ENTERPRISE_SCHEMA}:companyid`])

type Json = Record<string, unknown>
type Cmp = { attr: string; op: 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'pr'; value: unknown }
/** A value filter of a path (`emails[type eq "work"]`): comparisons joined by one logical operator. */
interface ValueFilter {
  readonly join: 'and' | 'or'
  readonly terms: readonly Cmp[]
}

/** A parsed PatchOp path: the container key (extension URN or undefined for core), attribute, filter, sub-attribute. */
interface PatchPath {
  readonly urn: string | undefined
  readonly attr: string | undefined
  readonly filter: ValueFilter | undefined
  readonly sub: string | undefined
}

const bad = (detail: string, scimType = 'invalidPath') => new ScimHttpError(400, detail, scimType)

function parseValue(text: string, path: string): unknown {
  const t = text.trim()
  if (/^".*"$/.test(t)) return t.slice(1, -1).replace(/\\"/g, '"')
  if (t === 'true') return true
  if (t === 'false') return false
  if (t === 'null') return null
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t)
  throw bad(`Invalid filter value in path [${path}]`, 'invalidFilter')
}

function parseValueFilter(text: string, path: string): ValueFilter {
  // Split on ` and ` / ` or ` outside quotes.
  const parts: string[] = []
  const joins: string[] = []
  let buf = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '"' && text[i - 1] !== '\\') quoted = !quoted
    if (!quoted) {
      const m = /^\s+(and|or)\s+/i.exec(text.slice(i))
      if (m) {
        parts.push(buf)
        joins.push(m[1]!.toLowerCase())
        buf = ''
        i += m[0].length - 1
        continue
      }
    }
    buf += ch
  }
  parts.push(buf)
  if (new Set(joins).size > 1) throw bad(`Mixed and/or in path filter [${path}]`, 'invalidFilter')
  const terms = parts.map((p): Cmp => {
    const m = /^\s*([A-Za-z][\w$]*)\s+(eq|ne|co|sw|ew|pr)\b\s*(.*?)\s*$/i.exec(p)
    if (!m) throw bad(`Invalid filter in path [${path}]`, 'invalidFilter')
    const op = m[2]!.toLowerCase() as Cmp['op']
    if (op === 'pr') {
      if (m[3] !== '') throw bad(`Invalid filter in path [${path}]`, 'invalidFilter')
      return { attr: m[1]!, op, value: undefined }
    }
    return { attr: m[1]!, op, value: parseValue(m[3]!, path) }
  })
  return { join: (joins[0] as 'and' | 'or' | undefined) ?? 'and', terms }
}

/**
 * Parses a PatchOp path: `[urn:…:]attr[[filter]][.sub]`, or an extension URN alone.
 *
 * @example
 * parsePatchPath('emails[type eq "work"].verified')
 */
export function parsePatchPath(path: string): PatchPath {
  let rest = path.trim()
  let urn: string | undefined
  if (/^urn:/i.test(rest)) {
    const found = URNS.find(
      (u) => rest.toLowerCase() === u.toLowerCase() || rest.toLowerCase().startsWith(`${u.toLowerCase()}:`),
    )
    if (!found) throw bad(`Invalid attribute path [${path}]`)
    rest = rest.slice(found.length + 1)
    urn = found === SCIM_USER_SCHEMA ? undefined : found
    if (rest === '') return { urn, attr: undefined, filter: undefined, sub: undefined }
  }
  const m = /^([A-Za-z][\w$]*)(?:\[(.+)\])?(?:\.([A-Za-z][\w$]*))?$/.exec(rest)
  if (!m) throw bad(`Invalid attribute path [${path}]`)
  return {
    urn,
    attr: m[1]!,
    filter: m[2] === undefined ? undefined : parseValueFilter(m[2], path),
    sub: m[3],
  }
}

function keyOf(obj: Json, name: string): string {
  const lower = name.toLowerCase()
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? name
}

function matches(el: unknown, f: ValueFilter): boolean {
  if (el === null || typeof el !== 'object' || Array.isArray(el)) return false
  const test = (c: Cmp) => {
    const v = (el as Json)[keyOf(el as Json, c.attr)]
    if (c.op === 'pr') return v !== undefined && v !== null && v !== ''
    const a = typeof v === 'string' ? v.toLowerCase() : v
    const b = typeof c.value === 'string' ? c.value.toLowerCase() : c.value
    switch (c.op) {
      case 'eq':
        return a === b
      case 'ne':
        return a !== b
      case 'co':
        return typeof a === 'string' && typeof b === 'string' && a.includes(b)
      case 'sw':
        return typeof a === 'string' && typeof b === 'string' && a.startsWith(b)
      default:
        return typeof a === 'string' && typeof b === 'string' && a.endsWith(b)
    }
  }
  return f.join === 'and' ? f.terms.every(test) : f.terms.some(test)
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function mergeInto(target: Json, value: Json, op: 'add' | 'replace'): void {
  for (const [k, v] of Object.entries(value)) {
    const key = keyOf(target, k)
    if (PROTECTED.has(key.toLowerCase())) throw bad(`Attribute [${k}] is read-only`, 'mutability')
    const cur = target[key]
    if (op === 'add' && Array.isArray(cur) && Array.isArray(v)) target[key] = [...cur, ...v]
    else if (op === 'add' && isObject(cur) && isObject(v)) target[key] = { ...cur, ...v }
    else target[key] = structuredClone(v)
  }
}

/**
 * Applies SCIM PatchOp operations (RFC 7644 §3.5.2) to a copy of a User (core attributes and
 * extension objects keyed by URN) and returns it; the caller validates the result. `add` appends to
 * multi-valued attributes and merges complex ones, `replace` replaces (a multi-valued attribute
 * without a filter entirely), `remove` deletes; a filter that selects nothing is a 400 `noTarget`.
 *
 * @example
 * applyPatch(user, [{ op: 'replace', path: 'emails[type eq "work"].verified', value: false }])
 */
export function applyPatch(user: Json, operations: readonly ScimPatchOperation[]): Json {
  const out = structuredClone(user)
  for (const { op, path, value } of operations) {
    if (path === undefined) {
      if (op === 'remove') throw bad('A remove operation needs a path', 'noTarget')
      if (!isObject(value)) throw bad('An operation without a path needs an object value', 'invalidValue')
      mergeInto(out, value, op)
      continue
    }
    const p = parsePatchPath(path)
    if (op !== 'remove' && value === undefined)
      throw bad(`Operation ${op} on [${path}] needs a value`, 'invalidValue')
    let holder: Json = out
    if (p.urn !== undefined) {
      const key = keyOf(out, p.urn)
      if (p.attr === undefined) {
        if (op === 'remove') delete out[key]
        else if (!isObject(value)) throw bad(`The value of [${path}] must be an object`, 'invalidValue')
        else if (op === 'add' && isObject(out[key])) out[key] = { ...(out[key] as Json), ...value }
        else out[key] = structuredClone(value)
        continue
      }
      if (!isObject(out[key])) {
        if (op === 'remove') continue
        out[key] = {}
      }
      holder = out[key] as Json
    }
    const attr = keyOf(holder, p.attr!)
    const full = `${p.urn ? `${p.urn}:` : ''}${attr}`.toLowerCase()
    if (PROTECTED.has(full) || (p.urn === undefined && PROTECTED.has(attr.toLowerCase())))
      throw bad(`Attribute [${path}] is read-only`, 'mutability')
    const cur = holder[attr]
    if (p.filter) {
      if (!Array.isArray(cur)) throw bad(`No value of [${path}] matches the filter`, 'noTarget')
      const hit = cur.map((el) => matches(el, p.filter!))
      if (!hit.includes(true)) throw bad(`No value of [${path}] matches the filter`, 'noTarget')
      if (op === 'remove') {
        holder[attr] =
          p.sub === undefined
            ? cur.filter((_, i) => !hit[i])
            : cur.map((el, i) => {
                if (!hit[i]) return el
                const copy = { ...(el as Json) }
                delete copy[keyOf(copy, p.sub!)]
                return copy
              })
        continue
      }
      holder[attr] = cur.map((el, i) => {
        if (!hit[i]) return el
        if (p.sub !== undefined)
          return { ...(el as Json), [keyOf(el as Json, p.sub)]: structuredClone(value) }
        if (!isObject(value)) throw bad(`The value of [${path}] must be an object`, 'invalidValue')
        return { ...(el as Json), ...structuredClone(value) }
      })
      continue
    }
    if (p.sub !== undefined) {
      if (Array.isArray(cur)) {
        holder[attr] = cur.map((el) => {
          const copy = { ...(el as Json) }
          if (op === 'remove') delete copy[keyOf(copy, p.sub!)]
          else copy[keyOf(copy, p.sub!)] = structuredClone(value)
          return copy
        })
      } else if (isObject(cur) || cur === undefined || cur === null) {
        const copy: Json = isObject(cur) ? { ...cur } : {}
        if (op === 'remove') delete copy[keyOf(copy, p.sub)]
        else copy[keyOf(copy, p.sub)] = structuredClone(value)
        holder[attr] = copy
      } else throw bad(`[${path}] has no sub-attribute ${p.sub}`)
      continue
    }
    if (op === 'remove') delete holder[attr]
    else if (op === 'add' && Array.isArray(cur))
      holder[attr] = [...cur, ...(Array.isArray(value) ? value : [value])].filter(
        (v, i, all) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i,
      )
    else if (op === 'add' && isObject(cur) && isObject(value))
      holder[attr] = { ...cur, ...structuredClone(value) }
    else holder[attr] = structuredClone(value)
  }
  return out
}
