import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { z } from 'zod'
import { optionalNodeCrypto } from './node-crypto.js'

/** Count and checksum of one resource's records (one entry of `GET /_mock/manifest`). */
export const ManifestEntry = z.object({ count: z.number().int().nonnegative(), sha256: z.string() })
export type ManifestEntry = z.infer<typeof ManifestEntry>

/** `GET /_mock/manifest`: per company, the count and checksum of each resource. */
export const Manifest = z.object({
  companies: z.array(z.looseObject({ id: z.string(), resources: z.record(z.string(), ManifestEntry) })),
})
export type Manifest = z.infer<typeof Manifest>

/**
 * Canonical JSON of a value: keys sorted at every level, no whitespace, `undefined` members left out.
 * The checksum does not depend on key order or on how a client merged repeated elements.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`
}

/**
 * A streaming manifest checksum: SHA-256 (hex) over each record's canonical JSON followed by `\n`,
 * in the order added. A top-level `URI` is left out, since it names the caller's origin (datacenter
 * and port) rather than the record. Extract a resource in its paging order, add every record, and
 * the result equals the mock's manifest entry for the same query.
 *
 * @example
 * const digest = createRecordDigest()
 * for await (const r of client.expenseReports.list({ user: 'ALL' })) digest.add(r)
 * digest.result() // { count: 500, sha256: '…' }
 */
export function createRecordDigest(): { add(record: unknown): void; result(): ManifestEntry } {
  const h = sha256Hasher()
  let count = 0
  return {
    add(record) {
      let r = record
      if (r !== null && typeof r === 'object' && !Array.isArray(r) && 'URI' in r) {
        const { URI: _uri, ...rest } = r as Record<string, unknown>
        r = rest
      }
      h.update(canonicalJson(r))
      h.update('\n')
      count++
    },
    result: () => ({ count, sha256: h.hex() }),
  }
}

/** Incremental SHA-256 over UTF-8 text: Node's native hash on Node (about 10× faster), else pure JS. */
function sha256Hasher(): { update(text: string): void; hex(): string } {
  const node = optionalNodeCrypto()
  if (node) {
    const h = node.createHash('sha256')
    return { update: (text) => void h.update(text, 'utf8'), hex: () => h.copy().digest('hex') }
  }
  const h = sha256.create()
  return { update: (text) => void h.update(utf8ToBytes(text)), hex: () => bytesToHex(h.clone().digest()) }
}

/**
 * Count and manifest checksum of records, in the order given (see `createRecordDigest`).
 *
 * @example
 * digestRecords([{ ID: 'a' }, { ID: 'b' }]).count // 2
 */
export function digestRecords(records: Iterable<unknown>): ManifestEntry {
  const d = createRecordDigest()
  for (const r of records) d.add(r)
  return d.result()
}
