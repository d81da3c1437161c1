import { getResource } from '@concurkit/contract'
import { stringify } from 'csv-stringify/sync'
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

describe('CSV', () => {
  /** The reference: csv-stringify 6 with its defaults over the cells (objects as JSON text). */
  const reference = (columns: string[], page: readonly Record<string, unknown>[], header: boolean) =>
    stringify(
      page.map((r) =>
        columns.map((c) =>
          r[c] === undefined || r[c] === null ? null : typeof r[c] === 'object' ? JSON.stringify(r[c]) : r[c],
        ),
      ),
      { header, columns, eof: true, record_delimiter: 'unix' },
    ) as string
  const tricky: unknown[] = [
    '',
    'plain',
    'a,b',
    'say "hi"',
    '"',
    'line\nbreak',
    'crlf\r\n',
    '=SUM(A1)',
    '-1',
    ' padded ',
    'Zürich → 東京 😀',
    'tab\there',
    0,
    -0,
    1.25,
    1e21,
    -3,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    null,
    undefined,
    { Type: 'List', Value: 'a,"b"', Code: null },
    ['x', 'y'],
    [],
    {},
    new Date(Date.UTC(2024, 0, 2)),
  ]

  it('writes what csv-stringify writes, for every kind of value, header or not', () => {
    const columns = ['ID', 'Value', 'Other']
    const def = { name: 'test', item: { shape: Object.fromEntries(columns.map((c) => [c, null])) } } as never
    const enc = createEncoder('csv', def)
    const page = tricky.flatMap((v, i) => [
      { ID: `id-${i}`, Value: v, Other: tricky[(i * 7) % tricky.length] },
      { ID: v, Value: null },
    ])
    for (const written of [0, 3]) {
      const want = reference(columns, page, written === 0)
      expect(enc.encode(page, written)).toBe(want)
      expect(encodeBytes(enc, page, written).toString('utf8')).toBe(want)
    }
    expect(enc.begin()).toBe(`${reference(columns, [{}], true).split('\n')[0]}\n`)
    expect(enc.finish(0)).toBe(enc.begin())
  })

  it('quotes a lone CR too (csv-stringify leaves it bare, which readers take for a line break)', () => {
    const def = { name: 'test', item: { shape: { ID: null, Value: null } } } as never
    expect(createEncoder('csv', def).encode([{ ID: '1', Value: 'cr\ronly' }], 1)).toBe('1,"cr\ronly"\n')
  })

  it('quotes a column name that needs it in the header, as csv-stringify does', () => {
    const columns = ['ID', 'a,b', 'say "x"']
    const def = { name: 'test', item: { shape: Object.fromEntries(columns.map((c) => [c, null])) } } as never
    const page = [{ ID: '1', 'a,b': 2, 'say "x"': true }]
    expect(createEncoder('csv', def).encode(page, 0)).toBe(reference(columns, page, true))
  })

  it("writes the registry's records as csv-stringify does", () => {
    const enc = createEncoder('csv', def)
    const columns = Object.keys((def.item as unknown as { shape: object }).shape)
    expect(enc.encode(records, 0)).toBe(reference(columns, records, true))
  })
})
