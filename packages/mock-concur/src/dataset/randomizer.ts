import type { Faker, Randomizer } from '@faker-js/faker'

const N = 624
const M = 397
const MATRIX_A = 0x9908b0df
const UPPER = 0x80000000
const LOWER = 0x7fffffff

/**
 * Faker's default randomizer (MT19937, 53-bit floats from two 32-bit draws), re-implemented on an
 * `Int32Array`: the same sequence for the same numeric seed, so records stay byte-identical, but
 * reseeding costs well under a microsecond instead of ~80 µs (Faker's version seeds through a generic array of
 * doubles, and the dataset reseeds once per record).
 *
 * @example
 * const faker = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
 * faker.seed(42)
 */
export function createMersenneRandomizer(initial = 5489): Randomizer {
  const mt = new Int32Array(N)
  let index = 0
  // After a seed, the first twist is done lazily: word k < N - M of the new state only needs old
  // words k, k + 1 and k + M, so a record that draws a few dozen numbers initialises ~M + draws
  // words and twists as many, instead of 2 × 624.
  let inited = 0
  let lazy = true

  const initTo = (j: number) => {
    // Locals in the loop (the closure's `inited` is written once): the same words, about twice as fast.
    let i = inited
    if (i > j) return
    let prev = mt[i - 1]!
    for (; i <= j; i++) {
      prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) | 0
      mt[i] = prev
    }
    inited = i
  }
  const word = (k: number) => {
    const y = (mt[k]! & UPPER) | (mt[(k + 1) % N]! & LOWER)
    mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A)
  }
  const seed = (value: number) => {
    mt[0] = value
    inited = 1
    index = 0
    lazy = true
  }
  const nextU32 = () => {
    if (lazy) {
      if (index < N - M) {
        initTo(index + M)
        word(index)
      } else {
        initTo(N - 1)
        for (let k = N - M; k < N; k++) word(k)
        lazy = false
      }
    } else if (index >= N) {
      for (let k = 0; k < N; k++) word(k)
      index = 0
    }
    let y = mt[index++]!
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
  seed(initial)
  return {
    next() {
      const a = nextU32() >>> 5
      const b = nextU32() >>> 6
      return (a * 67108864 + b) * (1 / 9007199254740992)
    },
    seed(value: number | number[]) {
      if (Array.isArray(value)) throw new TypeError('the dataset randomizer takes numeric seeds only')
      seed(value)
    },
  }
}

/** One step of a Faker template expression: a property (`word`, `adjective`) or a call's arguments. */
type Step = { readonly name: string } | { readonly args: readonly unknown[] }

const DOT_OR_CALL = /\.|\(/
const steps = new Map<string, readonly Step[] | null>()

/** A call's arguments, parsed as Faker 10's `fake` parses them (JSON, else one bare string). */
function callArgs(expr: string): [number, unknown[]] {
  let close = expr.indexOf(')', 1)
  while (close !== -1) {
    const inner = expr.substring(1, close)
    try {
      return [close, JSON.parse(`[${inner}]`) as unknown[]]
    } catch {
      if (!inner.includes("'") && !inner.includes('"'))
        try {
          return [close, JSON.parse(`["${inner}"]`) as unknown[]]
        } catch {}
    }
    close = expr.indexOf(')', close + 1)
  }
  close = expr.lastIndexOf(')')
  return [close, [expr.substring(1, close)]]
}

/** The steps of an expression (`commerce.product`, `number.int({"min": 1})`), parsed once; null when Faker would throw. */
function stepsOf(expr: string): readonly Step[] | null {
  let found = steps.get(expr)
  if (found !== undefined) return found
  const out: Step[] = []
  let rest = expr
  found = out
  do {
    if (rest.startsWith('(')) {
      if (rest.indexOf(')', 1) === -1) {
        found = null
        break
      }
      const [close, args] = callArgs(rest)
      const after = rest[close + 1]
      if (after !== '.' && after !== '(' && after !== undefined) {
        found = null
        break
      }
      out.push({ args })
      rest = rest.substring(close + (after === '.' ? 2 : 1))
    } else {
      const m = DOT_OR_CALL.exec(rest)
      const dot = (m?.[0] ?? '') === '.'
      const at = m?.index ?? rest.length
      const name = rest.substring(0, at)
      const next = rest[at + 1]
      if (name.length === 0 || (dot && (next === undefined || next === '.' || next === '('))) {
        found = null
        break
      }
      out.push({ name })
      rest = rest.substring(at + (dot ? 1 : 0))
    }
  } while (rest.length > 0)
  if (steps.size < 1024) steps.set(expr, found)
  return found
}

function property(value: unknown, name: string): unknown {
  if (typeof value === 'function') {
    try {
      return property((value as () => unknown)(), name)
    } catch {
      return undefined
    }
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined
}

/**
 * Faker 10's `helpers.fake(template)` with each `{{expression}}` parsed once instead of per call:
 * the same resolution (the faker instance and its raw definitions side by side, an `arrayElement`
 * draw for every array met on either side), the same draws in the same order, the same text.
 * Expressions it cannot resolve go to Faker's own `fake` (which throws the same way).
 *
 * @example
 * fakeTemplate(faker, faker.definitions.commerce.product_description) // same as faker.commerce.productDescription()
 */
export function fakeTemplate(faker: Faker, pattern: string | readonly string[]): string {
  let text = typeof pattern === 'string' ? pattern : faker.helpers.arrayElement(pattern)
  for (;;) {
    const start = text.search(/{{[a-z]/)
    const end = text.indexOf('}}', start)
    if (start === -1 || end === -1) return text
    const expr = text
      .substring(start + 2, end + 2)
      .replace('}}', '')
      .replace('{{', '')
    const plan = stepsOf(expr)
    if (plan === null) return faker.helpers.fake(text)
    let values: unknown[] = [faker, faker.definitions.raw]
    for (const step of plan) {
      values =
        'args' in step
          ? values.map((v) =>
              typeof v === 'function' ? (v as (...a: unknown[]) => unknown)(...step.args) : undefined,
            )
          : values.map((v) => property(v, step.name))
      values = values
        .filter((v) => v !== null && v !== undefined)
        .map((v) => (Array.isArray(v) ? faker.helpers.arrayElement(v) : v))
      if (values.length === 0) break
    }
    if (values.length === 0) return faker.helpers.fake(text)
    const first = values[0]
    const value = typeof first === 'function' ? (first as () => unknown)() : first
    text = text.substring(0, start) + String(value) + text.substring(end + 2)
  }
}
