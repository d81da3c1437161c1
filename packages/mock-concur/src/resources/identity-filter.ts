import { SCIM_ENTERPRISE_SCHEMA, SCIM_SAP_SCHEMA, SCIM_USER_SCHEMA } from '@concurkit/contract'

/**
 * Identity v4.1 search filters: the subset of RFC 7644 §3.4.2.2 Concur documents
 * (PD:api-guides/profile/identity-search.md), parsed by a small recursive-descent parser and
 * evaluated against SCIM User objects.
 *
 * Grammar (precedence `not` > `and` > `or`, keywords case-insensitive):
 * ```
 * filter  := or
 * or      := and ("or" and)*
 * and     := unary ("and" unary)*
 * unary   := "not" "(" filter ")" | "(" filter ")" | attr "[" valFilter "]" | attr "pr" | attr op value
 * op      := eq | ne | co | sw | ew | gt | ge | lt | le
 * value   := "json string" | true | false | null | number | bare-word (UUIDs, dates)
 * ```
 * Inside `[ ]` only `eq sw ew co pr`, no `not`/`ne`, `or` only at the root, no parentheses holding
 * `or`, and not the same sub-attribute twice joined by `and`.
 */

/** A filter the grammar or the filterable attributes reject (SCIM 400 `invalidFilter`). */
export class ScimFilterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScimFilterError'
  }
}

/** Which part of the user an attribute path reads. */
export type ScimSchemaPart = 'core' | 'enterprise' | 'sap'

/** A resolved attribute path: its schema part and lower-cased segments. */
export interface AttrPath {
  readonly part: ScimSchemaPart
  readonly segments: readonly string[]
  /** As written (for messages). */
  readonly text: string
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'
export type FilterValue = string | number | boolean | null

/** The parsed filter. */
export type FilterNode =
  | { readonly kind: 'cmp'; readonly path: AttrPath; readonly op: CompareOp; readonly value: FilterValue }
  | { readonly kind: 'pr'; readonly path: AttrPath }
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly expr: FilterNode }
  | { readonly kind: 'complex'; readonly path: AttrPath; readonly filter: FilterNode }

const OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'])
const BRACKET_OPS = new Set<string>(['eq', 'sw', 'ew', 'co', 'pr'])

/** Attributes Concur documents as filterable (lower-case, `part:path`). */
const FILTERABLE = new Set([
  'core:active',
  'core:addresses.country',
  'core:addresses.locality',
  'core:addresses.region',
  'core:addresses.type',
  'core:emails.value',
  'core:emails.type',
  'core:emails.verified',
  'core:entitlements',
  'core:externalid',
  'core:id',
  'core:meta.created',
  'core:meta.lastmodified',
  'core:name.familyname',
  'core:name.givenname',
  'core:nickname',
  'core:username',
  'enterprise:costcenter',
  'enterprise:department',
  'enterprise:division',
  'enterprise:employeenumber',
  'enterprise:startdate',
  'enterprise:terminationdate',
  'enterprise:manager.employeenumber',
  'enterprise:manager.value',
  'sap:useruuid',
])
/** Multi-valued complex attributes that take `[ ]`. */
const MULTI_VALUED = new Set(['core:emails', 'core:addresses'])
const ENTERPRISE_NAMES = new Set([
  'costcenter',
  'department',
  'division',
  'employeenumber',
  'startdate',
  'terminationdate',
  'manager',
  'companyid',
  'organization',
])

const URNS: readonly [string, ScimSchemaPart][] = [
  [SCIM_USER_SCHEMA.toLowerCase(), 'core'],
  [SCIM_ENTERPRISE_SCHEMA.toLowerCase(), 'enterprise'],
  [SCIM_SAP_SCHEMA.toLowerCase(), 'sap'],
]

/**
 * Resolves an attribute path (`name.givenName`, `employeeNumber`,
 * `urn:…:enterprise:2.0:User:startDate`). A bare enterprise or SAP attribute name resolves to its
 * extension, as the v4 `filter=employeeNumber eq …` example does. Returns undefined for a malformed path.
 *
 * @example
 * resolveAttrPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter')
 */
export function resolveAttrPath(text: string): AttrPath | undefined {
  const lower = text.toLowerCase()
  for (const [urn, part] of URNS) {
    if (lower === urn) return { part, segments: [], text }
    if (lower.startsWith(`${urn}:`)) {
      const segments = lower.slice(urn.length + 1).split('.')
      return segments.every((s) => /^[a-z$][a-z0-9_$-]*$/.test(s)) ? { part, segments, text } : undefined
    }
  }
  const segments = lower.split('.')
  if (!segments.every((s) => /^[a-z$][a-z0-9_$-]*$/.test(s))) return undefined
  const first = segments[0]!
  const part: ScimSchemaPart = ENTERPRISE_NAMES.has(first)
    ? 'enterprise'
    : first === 'useruuid'
      ? 'sap'
      : 'core'
  return { part, segments, text }
}

type Token =
  | { t: 'word'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: '(' | ')' | '[' | ']'; pos: number }

function tokenize(input: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < input.length) {
    const ch = input[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      out.push({ t: ch, pos: i })
      i++
    } else if (ch === '"') {
      let j = i + 1
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1
      if (j >= input.length) throw new ScimFilterError(`Unterminated string at position ${i + 1}`)
      let v: string
      try {
        v = JSON.parse(input.slice(i, j + 1)) as string
      } catch {
        throw new ScimFilterError(`Invalid string at position ${i + 1}`)
      }
      out.push({ t: 'str', v, pos: i })
      i = j + 1
    } else {
      let j = i
      while (j < input.length && !/[\s()[\]"]/.test(input[j]!)) j++
      out.push({ t: 'word', v: input.slice(i, j), pos: i })
      i = j
    }
  }
  return out
}

/**
 * Parses a filter; throws {@link ScimFilterError} on anything the documented grammar rejects.
 *
 * @example
 * parseFilter('emails[type eq "work" and value ew "@example.com"]')
 */
export function parseFilter(input: string): FilterNode {
  if (input.trim() === '') throw new ScimFilterError('The filter is empty')
  if (input.length > 4096) throw new ScimFilterError('The filter is longer than 4096 characters')
  const tokens = tokenize(input)
  let p = 0
  let depth = 0
  const peek = () => tokens[p]
  const isWord = (tok: Token | undefined, w: string): boolean =>
    tok?.t === 'word' && tok.v.toLowerCase() === w
  const where = (tok: Token | undefined) => (tok ? `at position ${tok.pos + 1}` : 'at the end of the filter')
  const expect = (t: ')' | ']') => {
    const tok = peek()
    if (tok?.t !== t) throw new ScimFilterError(`Expected '${t}' ${where(tok)}`)
    p++
  }

  // `parent` is set inside `[ ]`: the multi-valued attribute the sub-attributes belong to.
  const parseOr = (parent: AttrPath | undefined, nested: boolean): FilterNode => {
    let left = parseAnd(parent, nested)
    while (isWord(peek(), 'or')) {
      if (parent && nested) throw new ScimFilterError("'or' inside parentheses within '[ ]' is not supported")
      p++
      left = { kind: 'or', left, right: parseAnd(parent, nested) }
    }
    return left
  }
  const parseAnd = (parent: AttrPath | undefined, nested: boolean): FilterNode => {
    let left = parseUnary(parent, nested)
    while (isWord(peek(), 'and')) {
      p++
      const right = parseUnary(parent, nested)
      if (parent) {
        const a = subAttrsOf(left)
        for (const s of subAttrsOf(right)) {
          if (a.includes(s))
            throw new ScimFilterError(`The sub-attribute '${s}' appears twice joined by 'and' within '[ ]'`)
        }
      }
      left = { kind: 'and', left, right }
    }
    return left
  }
  const parseUnary = (parent: AttrPath | undefined, nested: boolean): FilterNode => {
    const tok = peek()
    if (!tok) throw new ScimFilterError('Unexpected end of the filter')
    if (++depth > 64) throw new ScimFilterError('The filter nests too deeply')
    try {
      if (isWord(tok, 'not')) {
        if (parent) throw new ScimFilterError("'not' is not supported within '[ ]'")
        p++
        if (peek()?.t !== '(') throw new ScimFilterError(`Expected '(' after 'not' ${where(peek())}`)
        p++
        const expr = parseOr(parent, nested)
        expect(')')
        return { kind: 'not', expr }
      }
      if (tok.t === '(') {
        p++
        const expr = parseOr(parent, parent !== undefined)
        expect(')')
        return expr
      }
      if (tok.t !== 'word' || isWord(tok, 'and') || isWord(tok, 'or'))
        throw new ScimFilterError(`Expected an attribute ${where(tok)}`)
      p++
      const path = attrPath(tok.v, parent)
      const next = peek()
      if (next?.t === '[') {
        if (parent) throw new ScimFilterError("'[ ]' cannot nest")
        const key = `${path.part}:${path.segments.join('.')}`
        if (!MULTI_VALUED.has(key))
          throw new ScimFilterError(`'${tok.v}' is not a multi-valued attribute; '[ ]' does not apply`)
        p++
        const filter = parseOr(path, false)
        expect(']')
        return { kind: 'complex', path, filter }
      }
      if (next?.t !== 'word')
        throw new ScimFilterError(`Expected an operator after '${tok.v}' ${where(next)}`)
      const op = next.v.toLowerCase()
      p++
      if (parent && !BRACKET_OPS.has(op))
        throw new ScimFilterError(`The operator '${next.v}' is not supported within '[ ]'`)
      checkFilterable(path)
      if (op === 'pr') return { kind: 'pr', path }
      if (!OPS.has(op)) throw new ScimFilterError(`Unknown operator '${next.v}'`)
      const v = peek()
      if (!v || (v.t !== 'word' && v.t !== 'str'))
        throw new ScimFilterError(`Expected a value after '${next.v}' ${where(v)}`)
      p++
      const value = v.t === 'str' ? v.v : literal(v.v)
      if (typeof value === 'boolean' && op !== 'eq' && op !== 'ne')
        throw new ScimFilterError(`The operator '${op}' does not apply to a boolean`)
      return { kind: 'cmp', path, op: op as CompareOp, value }
    } finally {
      depth--
    }
  }

  const node = parseOr(undefined, false)
  if (p < tokens.length)
    throw new ScimFilterError(`Unexpected '${tokenText(tokens[p]!)}' ${where(tokens[p])}`)
  return node
}

function tokenText(tok: Token): string {
  return tok.t === 'word' || tok.t === 'str' ? tok.v : tok.t
}

function literal(word: string): FilterValue {
  const w = word.toLowerCase()
  if (w === 'true') return true
  if (w === 'false') return false
  if (w === 'null') return null
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word)
  // Concur accepts bare values such as UUIDs and dates (`id eq c7e1…`, `startDate le 2013-12-31`).
  return word
}

function attrPath(text: string, parent: AttrPath | undefined): AttrPath {
  if (parent) {
    if (!/^[A-Za-z$][A-Za-z0-9_$-]*$/.test(text))
      throw new ScimFilterError(`Invalid sub-attribute '${text}' within '${parent.text}[ ]'`)
    return { part: parent.part, segments: [...parent.segments, text.toLowerCase()], text }
  }
  const path = resolveAttrPath(text)
  if (!path || path.segments.length === 0) throw new ScimFilterError(`Invalid attribute path '${text}'`)
  return path
}

function checkFilterable(path: AttrPath): void {
  if (!FILTERABLE.has(`${path.part}:${path.segments.join('.')}`))
    throw new ScimFilterError(`The attribute '${path.text}' is not filterable`)
}

function subAttrsOf(node: FilterNode): string[] {
  switch (node.kind) {
    case 'cmp':
    case 'pr':
      return [node.path.segments.at(-1)!]
    case 'and':
      return [...subAttrsOf(node.left), ...subAttrsOf(node.right)]
    default:
      return []
  }
}

/** Reads the object of a schema part from a user. */
function partOf(user: Record<string, unknown>, part: ScimSchemaPart): unknown {
  if (part === 'core') return user
  return user[part === 'enterprise' ? SCIM_ENTERPRISE_SCHEMA : SCIM_SAP_SCHEMA]
}

function child(obj: unknown, key: string): unknown[] {
  if (Array.isArray(obj)) return obj.flatMap((o) => child(o, key))
  if (obj === null || typeof obj !== 'object') return []
  for (const [k, v] of Object.entries(obj)) {
    if (k.toLowerCase() === key) return v === undefined ? [] : Array.isArray(v) ? v : [v]
  }
  return []
}

function valuesAt(root: unknown, segments: readonly string[]): unknown[] {
  let values: unknown[] = [root]
  for (const s of segments) values = values.flatMap((v) => child(v, s))
  return values.filter((v) => v !== null && v !== undefined && v !== '')
}

function compare(actual: unknown, op: CompareOp, expected: FilterValue): boolean {
  if (expected === null) return op === 'eq' ? false : op === 'ne'
  if (typeof expected === 'boolean') {
    const a = typeof actual === 'boolean' ? actual : String(actual).toLowerCase() === String(expected)
    return op === 'eq' ? a === expected || actual === expected : !(a === expected || actual === expected)
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    return {
      eq: actual === expected,
      ne: actual !== expected,
      gt: actual > expected,
      ge: actual >= expected,
      lt: actual < expected,
      le: actual <= expected,
      co: false,
      sw: false,
      ew: false,
    }[op]
  }
  const a = String(actual).toLowerCase()
  const e = String(expected).toLowerCase()
  switch (op) {
    case 'eq':
      return a === e
    case 'ne':
      return a !== e
    case 'co':
      return a.includes(e)
    case 'sw':
      return a.startsWith(e)
    case 'ew':
      return a.endsWith(e)
    // Dates compare as ISO strings: `2013-12-31` < `2013-12-31T…` < `2014-01-01`.
    case 'gt':
      return a > e && !a.startsWith(e)
    case 'ge':
      return a >= e || a.startsWith(e)
    case 'lt':
      return a < e
    case 'le':
      return a <= e || a.startsWith(e)
  }
}

function evaluate(node: FilterNode, user: Record<string, unknown>, element?: unknown): boolean {
  const values = (path: AttrPath) =>
    element === undefined
      ? valuesAt(partOf(user, path.part), path.segments)
      : valuesAt(element, path.segments.slice(-1))
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, user, element) && evaluate(node.right, user, element)
    case 'or':
      return evaluate(node.left, user, element) || evaluate(node.right, user, element)
    case 'not':
      return !evaluate(node.expr, user, element)
    case 'pr':
      return values(node.path).length > 0
    case 'cmp': {
      const vs = values(node.path)
      // `ne` on a multi-valued attribute: no value equals.
      if (node.op === 'ne') return !vs.some((v) => compare(v, 'eq', node.value))
      return vs.some((v) => compare(v, node.op, node.value))
    }
    case 'complex': {
      const elements = valuesAt(partOf(user, node.path.part), node.path.segments)
      return elements.some((el) => evaluate(node.filter, user, el))
    }
  }
}

/**
 * Whether a SCIM User matches a parsed filter. String comparisons are case-insensitive (the guide
 * calls its examples case insensitive; `entitlements eq "invoice"` matches `Invoice`).
 *
 * @example
 * matchesFilter(parseFilter('active eq true'), user)
 */
export function matchesFilter(node: FilterNode, user: Record<string, unknown>): boolean {
  return evaluate(node, user)
}

/** Every comparison of a filter (for the v4 GET restriction to `eq` on three attributes). */
export function comparisonsOf(node: FilterNode): FilterNode[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...comparisonsOf(node.left), ...comparisonsOf(node.right)]
    case 'not':
      return [node, ...comparisonsOf(node.expr)]
    default:
      return [node]
  }
}
