import type { ResourceDefinition } from '@concurkit/contract'
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

/** A field that must be quoted (RFC 4180): it holds the delimiter, a quote or a line break. */
const NEEDS_QUOTES = /[",\n\r]/

/**
 * One CSV field, as csv-stringify 6 writes it with its defaults (the format's reference; a test
 * compares every kind of value with it): null and undefined empty, booleans `1` and empty, numbers
 * and bigints in JavaScript's notation, objects as JSON text; quoted, with quotes doubled, when the
 * text holds a comma, a quote, CR or LF (csv-stringify leaves a lone CR bare).
 */
function csvField(v: unknown): string {
  let text: string
  switch (typeof v) {
    case 'string':
      text = v
      break
    case 'number':
    case 'bigint':
      return `${v}`
    case 'boolean':
      return v ? '1' : ''
    case 'object':
      if (v === null) return ''
      text = JSON.stringify(v)
      break
    case 'undefined':
      return ''
    default:
      text = String(v)
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One CSV line (with its LF) of a record, its fields in the columns' order. */
function csvLine(columns: readonly string[], record: unknown): string {
  const o = (record ?? {}) as Record<string, unknown>
  let line = ''
  for (let i = 0; i < columns.length; i++)
    line += i === 0 ? csvField(o[columns[i]!]) : `,${csvField(o[columns[i]!])}`
  return `${line}\n`
}

/** The CSV columns of an encoder (the built-in CSV encoder's), for `encodeBytes`. */
const CSV_COLUMNS = new WeakMap<RecordEncoder, readonly string[]>()

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
      // The header line: the column names as fields of one line.
      const header = csvLine(columns, Object.fromEntries(columns.map((c) => [c, c])))
      const encoder: RecordEncoder = {
        format,
        extension: 'csv',
        encode: (records, written) => {
          // An empty page writes nothing (the header of an empty file comes from `finish(0)`).
          if (records.length === 0) return ''
          let text = written === 0 ? header : ''
          for (const r of records) text += csvLine(columns, r)
          return text
        },
        begin: () => header,
        separator: '',
        finish: (written) => (written === 0 ? header : ''),
      }
      CSV_COLUMNS.set(encoder, columns)
      return encoder
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
  const columns = CSV_COLUMNS.get(encoder)
  if (columns) return csvBytes(encoder, columns, records, written)
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

/** CSV page bytes, line by line into one buffer (the header first at the start of a file). */
function csvBytes(
  encoder: RecordEncoder,
  columns: readonly string[],
  records: readonly unknown[],
  written: number,
): Buffer {
  if (records.length === 0) return Buffer.alloc(0)
  const lines = records.map((r) => csvLine(columns, r))
  if (written === 0) lines.unshift(encoder.begin())
  let size = 0
  for (const l of lines) size += Buffer.byteLength(l, 'utf8')
  const buf = Buffer.allocUnsafe(size)
  let at = 0
  for (const l of lines) at += buf.write(l, at, 'utf8')
  return buf
}
