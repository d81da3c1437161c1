import type { z } from 'zod'

/**
 * A check compiled from a zod schema for records decoded from JSON: `true` only when zod would
 * accept the value AND return it unchanged (same keys in the same order, no defaults, transforms
 * or stripped keys), so the value itself can stand for zod's output. `false` means "ask zod" (it
 * either fails, with its usual error, or returns a different object).
 */
export type FastCheck = (value: unknown) => boolean

interface Def {
  type: string
  checks?: unknown[]
  /** Set when the schema is itself a check (`z.email()`, `z.iso.datetime()` …). */
  check?: string
  coerce?: boolean
  innerType?: z.ZodType
  element?: z.ZodType
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  entries?: Record<string, unknown>
  values?: unknown[]
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

const cache = new WeakMap<z.ZodType, FastCheck>()

/** Any schema this compiler does not model: zod decides, and only an identical primitive passes. */
function viaZod(schema: z.ZodType): FastCheck {
  return (v) => {
    if (v !== null && typeof v === 'object') return false
    const r = schema.safeParse(v)
    return r.success && r.data === v
  }
}

interface CheckDef {
  check: string
  format?: string
  pattern?: RegExp
}

/**
 * The checks the compiler models, or `undefined` when one is not: regular expressions on strings
 * (zod's `.regex()`, tested as zod does) and safe integers on numbers (`.int()`). Both only accept or
 * reject; neither changes the value.
 */
function modelled(def: Def): { patterns: RegExp[]; safeInt: boolean } | undefined {
  if (def.coerce === true || def.check !== undefined) return undefined
  const patterns: RegExp[] = []
  let safeInt = false
  for (const c of def.checks ?? []) {
    const d = (c as unknown as { _zod: { def: CheckDef } })._zod.def
    if (def.type === 'string' && d.check === 'string_format' && d.format === 'regex' && d.pattern)
      patterns.push(d.pattern)
    else if (def.type === 'number' && d.check === 'number_format' && d.format === 'safeint') safeInt = true
    else return undefined
  }
  return { patterns, safeInt }
}

/** Whether a missing key passes unchanged: a plain `.optional()` (a default would fill it in). */
function optional(schema: z.ZodType): boolean {
  return defOf(schema).type === 'optional'
}

function build(schema: z.ZodType): FastCheck {
  const def = defOf(schema)
  const plain = (def.checks?.length ?? 0) === 0 && def.coerce !== true && def.check === undefined
  switch (def.type) {
    case 'string': {
      const m = modelled(def)
      if (!m) return viaZod(schema)
      const { patterns } = m
      if (patterns.length === 0) return (v) => typeof v === 'string'
      return (v) => {
        if (typeof v !== 'string') return false
        for (const p of patterns) {
          // As zod tests it (a global or sticky pattern starts from the beginning).
          p.lastIndex = 0
          if (!p.test(v)) return false
        }
        return true
      }
    }
    case 'number': {
      const m = modelled(def)
      if (!m) return viaZod(schema)
      return m.safeInt
        ? (v) => typeof v === 'number' && Number.isSafeInteger(v)
        : (v) => typeof v === 'number' && Number.isFinite(v)
    }
    case 'boolean':
      return plain ? (v) => typeof v === 'boolean' : viaZod(schema)
    case 'null':
      return (v) => v === null
    case 'unknown':
    case 'any':
      return () => true
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}))
      return (v) => values.has(v)
    }
    case 'literal': {
      const values = new Set(def.values ?? [])
      return (v) => values.has(v)
    }
    case 'nullable': {
      if (!plain || !def.innerType) return viaZod(schema)
      const inner = compileFastCheck(def.innerType)
      return (v) => v === null || inner(v)
    }
    case 'optional': {
      if (!plain || !def.innerType) return viaZod(schema)
      const inner = compileFastCheck(def.innerType)
      // A value decoded from JSON is never `undefined`; a missing key is handled by the object.
      return (v) => v !== undefined && inner(v)
    }
    case 'array': {
      if (!plain || !def.element) return viaZod(schema)
      const element = compileFastCheck(def.element)
      return (v) => {
        if (!Array.isArray(v)) return false
        for (const e of v) if (!element(e)) return false
        return true
      }
    }
    case 'object':
      return plain && def.shape ? objectCheck(def.shape, def.catchall) : viaZod(schema)
    default:
      return viaZod(schema)
  }
}

function objectCheck(shape: Record<string, z.ZodType>, catchall: z.ZodType | undefined): FastCheck {
  const keys = Object.keys(shape)
  const index = new Map(keys.map((k, i) => [k, i]))
  const fields = keys.map((k) => compileFastCheck(shape[k]!))
  const required = keys.filter((k) => !optional(shape[k]!)).length
  const isRequired = keys.map((k) => !optional(shape[k]!))
  // No catchall: zod strips unknown keys, so a record with one is not returned as is.
  const extra = catchall ? compileFastCheck(catchall) : undefined
  return (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
    const o = v as Record<string, unknown>
    let last = -1
    let seenExtra = false
    let requiredSeen = 0
    for (const k in o) {
      // Records come in declaration order: the next declared key is usually the one that follows.
      const i = keys[last + 1] === k ? last + 1 : index.get(k)
      if (i === undefined) {
        if (!extra || k === '__proto__' || !extra(o[k])) return false
        seenExtra = true
        continue
      }
      // zod writes the declared keys first, in declaration order, then the others.
      if (seenExtra || i < last) return false
      last = i
      if (!fields[i]!(o[k])) return false
      if (isRequired[i]) requiredSeen += 1
    }
    return requiredSeen === required
  }
}

/**
 * Compiles (once per schema) the fast check of a zod schema.
 *
 * @example
 * const ok = compileFastCheck(z.looseObject({ ID: z.string() }))
 * ok({ ID: 'a', x: 1 }) // true
 * ok({ ID: 1 }) // false: ask zod (which fails)
 */
export function compileFastCheck(schema: z.ZodType): FastCheck {
  let check = cache.get(schema)
  if (!check) {
    check = build(schema)
    cache.set(schema, check)
  }
  return check
}
