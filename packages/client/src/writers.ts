import type { ResourceDefinition } from '@concurkit/contract'
import { stringify } from 'csv-stringify/sync'
import { invalidArgument } from './errors.js'

/** Output formats of `extract()`. */
export type OutputFormat = 'ndjson' | 'csv' | 'json'

/** Serialises records into bytes, page by page, so a file can be cut and resumed at page bounds. */
export interface RecordEncoder {
  readonly format: OutputFormat
  readonly extension: string
  /** Bytes for a page of records; `written` = records already in the file. */
  encode(records: readonly unknown[], written: number): string
  /**
   * Bytes before the first record (CSV header, `[` of a JSON array): what `encode(records, 0)`
   * puts in front of the records. Used to join separately written partitions.
   */
  begin(): string
  /**
   * Bytes `encode(records, n > 0)` puts in front of the first record that `encode(records, 0)`
   * leaves out after `begin()` (`,\n` for JSON): removed from the first non-empty partition.
   */
  readonly separator: string
  /** Bytes that close the file (`]` of a JSON array). */
  finish(written: number): string
}

/** CSV columns of a resource: the keys of its item schema, in declaration order. */
export function schemaColumns(def: Pick<ResourceDefinition, 'item' | 'name'>): string[] {
  const shape = (def.item as unknown as { shape?: Record<string, unknown> }).shape
  if (!shape || typeof shape !== 'object')
    invalidArgument(`${def.name}: its item schema is not an object; use ndjson`)
  return Object.keys(shape)
}

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'object') return JSON.stringify(v)
  return v as string | number | boolean
}

/**
 * An encoder for one output format. CSV columns are fixed by the schema (stable across runs and
 * resumes); nested values are JSON text.
 *
 * @example
 * const enc = createEncoder('csv', getResource('expense-reports'))
 * enc.encode([{ ID: '1' }], 0) // 'ID,URI,…\n1,,…\n'
 */
export function createEncoder(
  format: OutputFormat,
  def?: Pick<ResourceDefinition, 'item' | 'name'>,
): RecordEncoder {
  switch (format) {
    case 'ndjson':
      return {
        format,
        extension: 'ndjson',
        encode: (records) => records.map((r) => `${JSON.stringify(r)}\n`).join(''),
        begin: () => '',
        separator: '',
        finish: () => '',
      }
    case 'json':
      return {
        format,
        extension: 'json',
        encode: (records, written) =>
          records.map((r, i) => `${written === 0 && i === 0 ? '[\n' : ',\n'}${JSON.stringify(r)}`).join(''),
        begin: () => '[\n',
        separator: ',\n',
        finish: (written) => (written === 0 ? '[]\n' : '\n]\n'),
      }
    case 'csv': {
      if (!def) invalidArgument('csv needs the resource definition for its columns')
      const columns = schemaColumns(def)
      // The header line, exactly as `stringify(rows, { header: true })` writes it before the rows.
      const header = stringify([columns], { eof: true, record_delimiter: 'unix' }) as string
      return {
        format,
        extension: 'csv',
        encode: (records, written) => {
          // An empty page writes nothing (the header of an empty file comes from `finish(0)`).
          if (records.length === 0) return ''
          const rows = records.map((r) => {
            const o = (r ?? {}) as Record<string, unknown>
            return columns.map((c) => cell(o[c]))
          })
          return stringify(rows, {
            header: written === 0,
            columns,
            eof: true,
            record_delimiter: 'unix',
          }) as string
        },
        begin: () => header,
        separator: '',
        finish: (written) => (written === 0 ? header : ''),
      }
    }
    default:
      return invalidArgument(`unknown format "${String(format)}" (ndjson, csv, json)`)
  }
}

const NEWLINE = 0x0a

/**
 * `encoder.encode(records, written)` as UTF-8 bytes (the same bytes), for the built-in encoders. NDJSON and
 * JSON are written record by record into one buffer, so a page's text is never one string: a page of
 * Concur records (≈ 200 KB) is a V8 large object, and one still referenced while the file write is
 * awaited (when the next page is parsed) moved to the old generation at the next young collection and
 * stayed there until a full one. Over a 1M-record extract those dead pages were most of the heap's
 * growth (peak RSS 200 MB instead of 146 MB).
 */
export function encodeBytes(encoder: RecordEncoder, records: readonly unknown[], written: number): Buffer {
  const ndjson = encoder.format === 'ndjson'
  if (!ndjson && encoder.format !== 'json') return Buffer.from(encoder.encode(records, written), 'utf8')
  if (records.length === 0) return Buffer.alloc(0)
  const texts = records.map((r) => `${JSON.stringify(r)}`)
  // NDJSON: `…\n` after each; JSON: `[\n` (first of the file) or `,\n` in front of each.
  let size = ndjson ? texts.length : 2 * texts.length
  for (const t of texts) size += Buffer.byteLength(t, 'utf8')
  const buf = Buffer.allocUnsafe(size)
  let at = 0
  for (let i = 0; i < texts.length; i++) {
    if (!ndjson) {
      buf[at++] = written === 0 && i === 0 ? 0x5b : 0x2c
      buf[at++] = NEWLINE
    }
    at += buf.write(texts[i]!, at, 'utf8')
    if (ndjson) buf[at++] = NEWLINE
  }
  return buf
}
