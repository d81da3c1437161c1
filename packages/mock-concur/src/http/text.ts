/**
 * Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE/U+FFFF) and UTF-16 code units
 * that are half of no pair (a lone surrogate cannot be encoded as UTF-8).
 */
const NOT_ON_THE_WIRE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * A value the mock echoes (a parameter name or value, an id, a path, a stored field) made safe for
 * every representation: each character XML 1.0 forbids and each lone surrogate becomes U+FFFD, so
 * an XML answer stays well-formed, a JSON answer stays valid UTF-8 and a header stays a byte string.
 *
 * @example
 * wireText("Unknown parameter '\u000b'") // "Unknown parameter '\uFFFD'"
 */
export function wireText(value: string): string {
  return value.replace(NOT_ON_THE_WIRE, '\uFFFD')
}
