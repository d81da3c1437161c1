import { getResource } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createEncoder, encodeBytes, type OutputFormat } from './writers.js'

const def = getResource('expense-entries')
/** Records with multi-byte text, escapes and nesting: the bytes must not depend on how they are built. */
const records = Array.from({ length: 120 }, (_, i) => ({
  ID: `id-${i}`,
  Comment: i % 3 === 0 ? `Zürich → 東京 "quoted"\n${'x'.repeat(i * 20)}` : null,
  Amount: i * 1.25,
  Custom1: { Type: 'List', Value: `€${i}`, Code: null },
  Tags: ['a', 'ü', '😀'],
}))

describe('encodeBytes', () => {
  it.each(['ndjson', 'json', 'csv'] as OutputFormat[])(
    'gives the bytes of encode() for %s, at the start of a file and after it',
    (format) => {
      const enc = createEncoder(format, def)
      for (const written of [0, 1, 500]) {
        for (const page of [records, records.slice(0, 1), []]) {
          const bytes = encodeBytes(enc, page, written)
          expect(bytes.equals(Buffer.from(enc.encode(page, written), 'utf8'))).toBe(true)
        }
      }
    },
  )

  it('writes a page larger than a V8 large object (128 KiB) the same way', () => {
    const big = Array.from({ length: 100 }, (_, i) => ({ ID: String(i), Comment: 'é'.repeat(2_000) }))
    for (const format of ['ndjson', 'json'] as OutputFormat[]) {
      const enc = createEncoder(format, def)
      const bytes = encodeBytes(enc, big, 0)
      expect(bytes.length).toBeGreaterThan(128 * 1024)
      expect(bytes.toString('utf8')).toBe(enc.encode(big, 0))
    }
  })
})
