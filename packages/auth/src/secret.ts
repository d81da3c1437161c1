const inspectCustom = Symbol.for('nodejs.util.inspect.custom')
const REDACTED = '[redacted]'

/**
 * A credential (access token, refresh token, password, client secret) that refuses to be printed.
 * `String(s)`, `JSON.stringify(s)`, `util.inspect(s)` and template literals all give `[redacted]`;
 * only an explicit `reveal()` returns the value.
 *
 * @example
 * const s = new Secret('hunter2')
 * JSON.stringify({ s }) // '{"s":"[redacted]"}'
 * s.reveal() // 'hunter2'
 */
export class Secret {
  readonly #value: string

  constructor(value: string) {
    if (typeof value !== 'string' || value.length === 0)
      throw new TypeError('a secret must be a non-empty string')
    this.#value = value
  }

  /** The secret value. Call it only where the value is sent (an HTTP header or form). */
  reveal(): string {
    return this.#value
  }

  /** Constant-ish comparison with another secret or string. */
  equals(other: Secret | string | undefined): boolean {
    if (other === undefined) return false
    const b = typeof other === 'string' ? other : other.reveal()
    const a = this.#value
    if (a.length !== b.length) return false
    let diff = 0
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
    return diff === 0
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [Symbol.toPrimitive](): string {
    return REDACTED
  }

  [inspectCustom](): string {
    return REDACTED
  }
}

/**
 * Wraps a string as a {@link Secret} (returns secrets unchanged).
 *
 * @example
 * const s = secret(process.env.CONCUR_CLIENT_SECRET!)
 */
export function secret(value: string | Secret): Secret {
  return value instanceof Secret ? value : new Secret(value)
}

/**
 * Replaces every occurrence of the given secret values in `text` with `[redacted]`.
 *
 * @example
 * scrub('bad password hunter2', ['hunter2']) // 'bad password [redacted]'
 */
export function scrub(text: string, secrets: readonly (string | Secret | undefined)[]): string {
  let out = text
  for (const s of secrets) {
    if (s === undefined) continue
    const v = typeof s === 'string' ? s : s.reveal()
    if (v.length >= 4) out = out.split(v).join(REDACTED)
  }
  return out
}
