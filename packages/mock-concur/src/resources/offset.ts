import { hashHex } from '../util/hash.js'

/**
 * The opaque `offset` of a v3.0 NextPage: the stable position to resume at (not a page number),
 * signed per seed, company and resource, so a tampered or foreign token is refused.
 *
 * @example
 * const token = encodeOffset(42, company.id, 'expense-reports', 100)
 * decodeOffset(42, company.id, 'expense-reports', token) // 100
 */
export function encodeOffset(seed: number, companyId: string, key: string, position: number): string {
  const p = position.toString(36)
  const sig = hashHex(seed, companyId, key, p, 'offset').slice(0, 12)
  return Buffer.from(`${p}.${sig}`, 'utf8').toString('base64url')
}

/** The position an offset token encodes, or undefined when it is malformed or not ours. */
export function decodeOffset(
  seed: number,
  companyId: string,
  key: string,
  token: string,
): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return undefined
  const raw = Buffer.from(token, 'base64url').toString('utf8')
  const m = /^([0-9a-z]{1,12})\.([0-9a-f]{12})$/.exec(raw)
  if (!m) return undefined
  if (hashHex(seed, companyId, key, m[1]!, 'offset').slice(0, 12) !== m[2]) return undefined
  const pos = Number.parseInt(m[1]!, 36)
  return Number.isSafeInteger(pos) ? pos : undefined
}
