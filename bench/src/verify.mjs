// Exactly-once checks of an extract against the mock's manifest.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { request } from 'undici'

/** Canonical JSON as the manifest defines it: keys sorted by UTF-16 code units at every level, no whitespace. */
export function canonical(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(',')}}`
}

/**
 * The manifest entry (count, sha256) of one resource. The mock computes it by generating every
 * record (minutes for a million entries), so there is no timeout.
 */
export async function manifest(url, token, companyId, resource) {
  const res = await request(`${url}/_mock/manifest?company=${companyId}&resource=${resource}`, {
    headers: { authorization: `Bearer ${token}` },
    headersTimeout: 0,
    bodyTimeout: 0,
  })
  if (res.statusCode !== 200) throw new Error(`manifest answered ${res.statusCode}`)
  const body = await res.body.json()
  return body.companies[0].resources[resource]
}

/**
 * Count and SHA-256 of an NDJSON extract in id order, computed the manifest's way (URI dropped,
 * canonical JSON), streamed. A record out of id order (or a repeated one) is reported.
 */
export async function ndjsonChecksum(file) {
  const hash = createHash('sha256')
  let prev = ''
  let count = 0
  let outOfOrder = 0
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line === '') continue
    const rec = JSON.parse(line)
    delete rec.URI
    count++
    if (rec.ID <= prev) outOfOrder++
    prev = rec.ID
    hash.update(`${canonical(rec)}\n`)
  }
  return { count, duplicates: outOfOrder, sha256: hash.digest('hex') }
}

/** Same, for files whose records are in any order (partitioned extracts): sorts by ID in memory. */
export async function ndjsonChecksumAnyOrder(file) {
  const rows = []
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line === '') continue
    const rec = JSON.parse(line)
    delete rec.URI
    rows.push([rec.ID, `${canonical(rec)}\n`])
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const hash = createHash('sha256')
  let duplicates = 0
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && rows[i][0] === rows[i - 1][0]) duplicates++
    hash.update(rows[i][1])
  }
  return { count: rows.length, duplicates, sha256: hash.digest('hex') }
}

/** Record count, duplicate IDs and a digest of the sorted ID list of a CSV extract. */
export async function csvIds(file) {
  const ids = []
  let idColumn = -1
  for await (const row of createReadStream(file).pipe(parse({ relax_column_count: false }))) {
    if (idColumn < 0) {
      idColumn = row.indexOf('ID')
      if (idColumn < 0) throw new Error(`${file}: no ID column`)
      continue
    }
    ids.push(row[idColumn])
  }
  ids.sort()
  let duplicates = 0
  for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) duplicates++
  return {
    count: ids.length,
    duplicates,
    idsSha256: createHash('sha256').update(ids.join('\n')).digest('hex'),
  }
}
