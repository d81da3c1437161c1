import { createHash, type Hash } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ResourceName } from '@concurkit/contract'
import { z } from 'zod'
import type { ConcurClient } from './client.js'
import { type CursorStore, changesSince } from './cursor.js'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import type { ListFilter } from './filters.js'
import { mapLimit } from './limit.js'
import { type ListOptions, type Page, PREFETCH, type ResourceClient } from './resource.js'
import { createEncoder, encodeBytes, type OutputFormat, type RecordEncoder } from './writers.js'

/** What `extract()` reports as it goes. */
export interface ExtractProgress {
  readonly resource: ResourceName
  readonly records: number
  readonly pages: number
  /** Records per second since this run started. */
  readonly rate: number
  /** Total records when the API reports it. */
  readonly total?: number
  readonly done: boolean
}

/** Options of `extract()`. */
export interface ExtractOptions {
  client: ConcurClient
  /** One resource, or several (then `out` is a directory: `<out>/<resource>.<ext>`). */
  resources: ResourceName | readonly ResourceName[]
  format: OutputFormat
  /** File (one resource) or directory (several). */
  out: string
  filter?: ListFilter
  /** Continue an interrupted extract from its checkpoint (default true when one exists). */
  resume?: boolean
  /** Only records changed since the stored cursor; the cursor is stored when the file is complete. */
  incremental?: { store: CursorStore; key?: string }
  /**
   * Split the walk into partitions read concurrently (e.g. date ranges or users), each paged by
   * `NextPage` to its own checkpointed segment; the file is their concatenation in the given order
   * (one CSV header, one JSON array), whichever partitions are empty.
   */
  partitions?: readonly ListFilter[]
  /** Resources (or partitions) read at once. Default the client's concurrency. */
  concurrency?: number
  onProgress?: (progress: ExtractProgress) => void
  signal?: AbortSignal
  list?: Omit<ListOptions, 'signal' | 'from'>
  /** @internal */
  [SPOOL]?: number
}

/** Result for one resource. */
export interface ExtractResult {
  readonly resource: ResourceName
  readonly file: string
  readonly records: number
  readonly pages: number
  readonly bytes: number
  /** SHA-256 of the file. */
  readonly sha256: string
  /** Whether the run continued from a checkpoint. */
  readonly resumed: boolean
}

/** The checkpoint written beside the temp file at page bounds (at most every 100 ms, and after the last page). */
export const Checkpoint = z.object({
  version: z.literal(1),
  resource: z.string(),
  format: z.enum(['ndjson', 'csv', 'json']),
  /** Hash of what is extracted (resource, format, filter, partition). */
  fingerprint: z.string(),
  records: z.number().int(),
  pages: z.number().int(),
  bytes: z.number().int(),
  /** SHA-256 of the first `bytes` bytes of the temp file. */
  sha256: z.string(),
  /** Where the next page starts; absent when every page is written. */
  nextPosition: z.string().optional(),
  complete: z.boolean(),
})
export type Checkpoint = z.infer<typeof Checkpoint>

/** Least time between two page checkpoints of one segment. */
const CHECKPOINT_INTERVAL_MS = 100
/** Read size when joining partition files. */
const JOIN_CHUNK_BYTES = 1024 * 1024
/**
 * Bytes of partition output one extract may hold in memory instead of temp files. A partition keeps
 * its bytes in memory until its first checkpoint is due; one that ends first (a user's single page)
 * never touches the disk before the join. Past the budget, partitions write their temp files.
 */
const SPOOL_BYTES = 16 * 1024 * 1024
/** Internal: another memory budget for partition output (tests drive the temp-file paths with it). */
export const SPOOL: unique symbol = Symbol('concurkit.spool')

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`
  await writeFile(tmp, text)
  await rename(tmp, path)
}

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    const r = Checkpoint.safeParse(JSON.parse(text))
    return r.success ? r.data : undefined
  } catch {
    return undefined
  }
}

async function hashPrefix(path: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256')
  if (bytes === 0) return hash
  await new Promise<void>((resolve, reject) => {
    createReadStream(path, { start: 0, end: bytes - 1 })
      .on('data', (c) => hash.update(c))
      .on('end', resolve)
      .on('error', reject)
  })
  return hash
}

function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}

interface Segment {
  records: number
  pages: number
  bytes: number
  resumed: boolean
  /**
   * SHA-256 of the part file's bytes (the whole output when there is one partition); absent when the
   * bytes are `held` (the join hashes what it writes, so held bytes are hashed once, there).
   */
  sha256?: string
  /** The bytes, when the segment ended before it needed its temp file (they count against the spool). */
  held?: Buffer[]
}

/** What an extract's partitions may still hold in memory, in bytes (see SPOOL_BYTES). */
interface Spool {
  free: number
}

/**
 * Streams pages into `part` with a checkpoint at page bounds (at most every 100 ms); resumes from a valid checkpoint
 * (temp file cut back to the checkpointed length, hash verified). Memory holds one page.
 */
async function writeSegment(options: {
  part: string
  checkpoint: string
  resource: ResourceName
  format: OutputFormat
  fingerprint: string
  encoder: RecordEncoder
  /** Records already in the final file before this segment (CSV header/JSON bracket logic). */
  offset: number
  finish: boolean
  resume: boolean
  /** Hold the bytes in memory (within this budget) until the first checkpoint is due. */
  spool?: Spool
  pages: (from: string | undefined) => AsyncIterable<Page<unknown>>
  onPage: (page: Page<unknown>, records: number, pages: number) => void
}): Promise<Segment> {
  const { part, checkpoint, encoder } = options
  let cp = options.resume ? await readCheckpoint(checkpoint) : undefined
  if (cp && (cp.fingerprint !== options.fingerprint || cp.format !== options.format)) {
    throw new ConcurClientError(
      CLIENT_ERROR_CODES.CHECKPOINT_MISMATCH,
      `${checkpoint} belongs to another extract (resource, format or filter differ); delete it or pass resume: false`,
    )
  }
  let hash = createHash('sha256')
  let records = 0
  let pages = 0
  let bytes = 0
  let from: string | undefined
  let resumed = false
  if (cp) {
    const size = await stat(part).then(
      (s) => s.size,
      () => -1,
    )
    if (size < cp.bytes)
      cp = undefined // temp file lost or shorter: start over
    else {
      await truncate(part, cp.bytes)
      hash = await hashPrefix(part, cp.bytes)
      if (hash.copy().digest('hex') !== cp.sha256) {
        throw new ConcurClientError(
          CLIENT_ERROR_CODES.CHECKPOINT_MISMATCH,
          `${part} does not match its checkpoint`,
        )
      }
      records = cp.records
      pages = cp.pages
      bytes = cp.bytes
      from = cp.nextPosition
      resumed = true
    }
  }
  let saved = ''
  // The first checkpoint comes one interval into the segment.
  let savedAt = performance.now()
  let checkpointed = cp !== undefined
  const save = async (next: string | undefined, complete: boolean) => {
    const text = JSON.stringify({
      version: 1,
      resource: options.resource,
      format: options.format,
      fingerprint: options.fingerprint,
      records,
      pages,
      bytes,
      sha256: hash.copy().digest('hex'),
      ...(next ? { nextPosition: next } : {}),
      complete,
    } satisfies Checkpoint)
    if (text === saved) return
    await writeAtomic(checkpoint, text)
    saved = text
    savedAt = performance.now()
    checkpointed = true
  }
  const due = () => performance.now() - savedAt >= CHECKPOINT_INTERVAL_MS
  if (cp?.complete) return { records, pages, bytes, resumed, sha256: hash.digest('hex') }
  const { spool } = options
  // Bytes not yet in the temp file (a fresh segment with a spool) and how many of them are reserved.
  let held: Buffer[] | undefined = cp === undefined && spool ? [] : undefined
  let heldBytes = 0
  let stream: WriteStream | undefined
  const openFile = async () => {
    // A fresh segment truncates (or creates) the temp file as it opens it.
    const s = createWriteStream(part, { flags: cp ? 'a' : 'w' })
    // Failures reach the caller through `open` below and each write's callback.
    s.on('error', () => undefined)
    stream = s
    await once(s, 'open')
  }
  const toFile = (buf: Buffer) =>
    new Promise<void>((resolve, reject) => {
      stream!.write(buf, (err) => (err ? reject(err) : resolve()))
    })
  const release = () => {
    if (spool) spool.free += heldBytes
    heldBytes = 0
  }
  /** Moves the held bytes to the temp file (a checkpoint is due, or the spool is spent). */
  const spill = async () => {
    const chunks = held ?? []
    held = undefined
    release()
    // Held bytes are hashed here, when they become the temp file's first bytes.
    for (const c of chunks) hash.update(c)
    await openFile()
    for (const c of chunks) await toFile(c)
  }
  // The first page is requested while the file opens.
  const walk = options.pages(from)[Symbol.asyncIterator]()
  const step = walk.next()
  let walked = false
  // A failure surfaces where the step is awaited below.
  step.catch(() => undefined)
  if (!held) {
    try {
      await openFile()
    } catch (err) {
      await walk.return?.(undefined)?.catch(() => undefined)
      throw err
    }
  }
  const write = async (buf: Buffer) => {
    if (buf.length === 0) return
    bytes += buf.length
    if (held && spool) {
      held.push(buf)
      if (spool.free >= buf.length) {
        spool.free -= buf.length
        heldBytes += buf.length
      } else await spill()
      return
    }
    hash.update(buf)
    await toFile(buf)
  }
  try {
    for (let r = await step; !r.done; r = await walk.next()) {
      const page = r.value
      await write(encodeBytes(encoder, page.items, options.offset + records))
      records += page.items.length
      pages += 1
      // Resuming from any checkpoint gives the same bytes, so a walk checkpoints at page bounds at
      // most every CHECKPOINT_INTERVAL_MS, and after its last page only when it has checkpointed
      // before: a segment that ends first (a one-page partition) writes none, and an interrupted
      // run repeats it, at most one interval and one page of work.
      const last = page.nextPosition === undefined
      if (last ? checkpointed : due()) {
        if (held) await spill()
        await save(page.nextPosition, last)
      }
      options.onPage(page, records, pages)
    }
    walked = true
    if (options.finish) await write(Buffer.from(encoder.finish(options.offset + records), 'utf8'))
    if (checkpointed) await save(undefined, true)
  } finally {
    // Stopped early (a failure): the walk ends too (its read-ahead is aborted).
    if (!walked) {
      await walk.return?.(undefined)?.catch(() => undefined)
      held = undefined
      release()
    }
    if (stream) {
      const s = stream
      await new Promise<void>((resolve) => s.end(resolve))
    }
  }
  return { records, pages, bytes, resumed, ...(held ? { held } : { sha256: hash.digest('hex') }) }
}

/**
 * The output of a partitioned extract, written while the partitions run: each partition is appended
 * (from memory, or from its temp file) once every partition before it is, between the format's
 * opening and closing; the first non-empty partition loses the separator it wrote in front of its
 * first record. The SHA-256 is taken on the way. A run that stops leaves a partial file that the
 * next run truncates: what it resumes from is the partitions' own checkpoints.
 */
async function openJoin(path: string, encoder: RecordEncoder, budget: number) {
  const handle = await open(path, 'w')
  const digest = createHash('sha256')
  const spool: Spool = { free: budget }
  let next = 0
  let began = false
  let skip = Buffer.byteLength(encoder.separator)
  let appending: Promise<void> = Promise.resolve()
  let closed = false
  /** After a failure too: waits for an append in progress, then closes the file. */
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await appending.catch(() => undefined)
    await handle.close()
  }
  const put = async (chunk: string | Buffer) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    if (buf.length === 0) return
    digest.update(buf)
    await handle.write(buf)
  }
  /** A partition's chunk as it goes to the output: the first non-empty one loses the separator. */
  const cut = (chunk: Buffer): Buffer => {
    if (skip === 0) return chunk
    const n = Math.min(skip, chunk.length)
    skip -= n
    return chunk.subarray(n)
  }
  const opening = (): Buffer | undefined => {
    if (began) return undefined
    began = true
    return Buffer.from(encoder.begin(), 'utf8')
  }
  /** A partition that wrote its temp file: read back in large chunks. */
  const append = async (segment: Segment, part: string) => {
    if (segment.records === 0) return
    const first = opening()
    if (first) await put(first)
    for await (const chunk of createReadStream(part, { highWaterMark: JOIN_CHUNK_BYTES }))
      await put(cut(chunk as Buffer))
  }
  /** Writes buffers with one call (libuv writes them all; a short count is finished here all the same). */
  const putMany = async (bufs: Buffer[]) => {
    let rest = bufs.filter((b) => b.length > 0)
    for (const b of rest) digest.update(b)
    while (rest.length > 0) {
      let { bytesWritten: n } = await handle.writev(rest)
      if (n === 0) throw new Error(`${path}: the file took no bytes`)
      const left: Buffer[] = []
      for (const b of rest) {
        if (n >= b.length) n -= b.length
        else {
          left.push(b.subarray(n))
          n = 0
        }
      }
      rest = left
    }
  }
  const drain = async (segments: readonly (Segment | undefined)[], parts: readonly string[]) => {
    for (let s = segments[next]; s !== undefined; s = segments[next]) {
      if (!s.held) {
        await append(s, parts[next]!)
        next++
        continue
      }
      // Partitions held in memory that are ready one after the other leave in one write (500
      // one-page user partitions: a few dozen writes instead of 500).
      const batch: Buffer[] = []
      const sent: Buffer[][] = []
      for (let h: Segment | undefined = s; h?.held; h = segments[next]) {
        if (h.records > 0) {
          const first = opening()
          if (first) batch.push(first)
          for (const c of h.held) batch.push(cut(c))
        }
        sent.push(h.held)
        h.held = undefined
        next++
      }
      await putMany(batch)
      for (const held of sent) spool.free += held.reduce((a, b) => a + b.length, 0)
    }
  }
  return {
    spool,
    /** Appends every partition that is ready and follows those already appended. */
    ready(segments: readonly (Segment | undefined)[], parts: readonly string[]): Promise<void> {
      appending = appending.then(() => drain(segments, parts))
      return appending
    },
    /** Closes the output with the format's closing (or the empty file's bytes); its SHA-256. */
    async finish(records: number): Promise<string> {
      await appending
      await put(encoder.finish(records))
      await close()
      return digest.digest('hex')
    },
    close,
  }
}

/**
 * Extracts resources to NDJSON, CSV or a JSON array: streamed with back-pressure, constant memory,
 * written to `<file>.part` and renamed only when complete, with a checkpoint
 * (`<file>.checkpoint.json`) at page bounds (at most every 100 ms, the first 100 ms in) so an interrupted run resumes without losing or
 * repeating a record and ends with a byte-identical file. This is what `concurkit extract` calls.
 *
 * @example
 * const [r] = await extract({ client, resources: 'expense-entries', format: 'ndjson', out: 'entries.ndjson' })
 * r.records // 100000
 */
export async function extract(options: ExtractOptions): Promise<ExtractResult[]> {
  const { client, format } = options
  const names = typeof options.resources === 'string' ? [options.resources] : [...options.resources]
  if (names.length === 0) invalidArgument('extract needs at least one resource')
  if (!options.out) invalidArgument('extract needs out')
  if (options.partitions !== undefined && options.partitions.length === 0)
    invalidArgument(
      'partitions must name at least one partition (leave it out to read everything in one walk)',
    )
  const many = typeof options.resources !== 'string'
  const concurrency = options.concurrency ?? 4
  return mapLimit(names, many ? concurrency : 1, async (name) => {
    const resource = client.resource(name)
    const encoder = createEncoder(format, resource.definition)
    const file = many ? join(options.out, `${name}.${encoder.extension}`) : options.out
    const started = Date.now()
    let total: number | undefined
    const done = { records: 0, pages: 0 }
    const report = (final: boolean) =>
      options.onProgress?.({
        resource: name,
        records: done.records,
        pages: done.pages,
        rate: done.records / Math.max(0.001, (Date.now() - started) / 1000),
        ...(total === undefined ? {} : { total }),
        done: final,
      })
    const listOptions: ListOptions = {
      ...options.list,
      ...(options.signal ? { signal: options.signal } : {}),
      [PREFETCH]: true,
    }
    const resume = options.resume ?? true
    const filter = options.filter ?? {}
    let cursorOut: (() => unknown) | undefined
    const partitions = options.partitions ?? [undefined]
    const split = partitions.length > 1
    const segments: Segment[] = []
    const dir = dirname(file)
    await mkdir(dir, { recursive: true })
    const parts = partitions.map((_, i) => (split ? `${file}.part${i}` : `${file}.part`))
    // One listing instead of a failed read per partition: only checkpoints that exist are read.
    const present = new Set(await readdir(dir).catch(() => [] as string[]))
    const counts = partitions.map(() => ({ records: 0, pages: 0 }))
    const joiner = split ? await openJoin(`${file}.part`, encoder, options[SPOOL] ?? SPOOL_BYTES) : undefined
    try {
      await mapLimit(partitions, split ? concurrency : 1, async (partition, i) => {
        const merged: ListFilter = { ...filter, ...partition }
        let pages = (from: string | undefined): AsyncIterable<Page<unknown>> =>
          resource.pages(merged, { ...listOptions, ...(from ? { from } : {}) })
        if (options.incremental) {
          if (split) invalidArgument('incremental extracts cannot be partitioned')
          const key = options.incremental.key ?? name
          const stored = await options.incremental.store.get(key)
          const changes = changesSince(resource as ResourceClient<unknown>, stored, {
            ...listOptions,
            filter: merged,
          })
          cursorOut = () => changes.cursor()
          pages = () => changes.pages()
        }
        const checkpoint = `${parts[i]}.checkpoint.json`
        segments[i] = await writeSegment({
          part: parts[i]!,
          checkpoint,
          resource: name,
          format,
          fingerprint: fingerprint({
            name,
            format,
            filter: merged,
            incremental: Boolean(options.incremental),
            ...(split ? { segment: 2 } : {}),
          }),
          encoder,
          // A partition never writes the file's opening (CSV header, `[`): the join adds it once.
          offset: split ? 1 : 0,
          finish: !split,
          resume: resume && !options.incremental && present.has(basename(checkpoint)),
          ...(joiner ? { spool: joiner.spool } : {}),
          pages,
          onPage(page, records, pageCount) {
            if (page.total !== undefined && !split) total = page.total
            // Running totals: a page of one partition moves them by its own difference.
            done.records += records - counts[i]!.records
            done.pages += pageCount - counts[i]!.pages
            counts[i] = { records, pages: pageCount }
            report(false)
          },
        })
        // Partitions are appended in order as soon as those before them are: a partition held in
        // memory leaves it here, and this slot waits only for appends that are ready.
        if (joiner) await joiner.ready(segments, parts)
      })
    } catch (err) {
      await joiner?.close()
      // Refused before a page was read (a token of the wrong kind, a bad argument): there is nothing
      // to resume, so no temp file is left behind. A resumed run keeps what earlier runs wrote.
      const refused =
        err instanceof ConcurClientError &&
        err.code === CLIENT_ERROR_CODES.INVALID_ARGUMENT &&
        counts.every((c) => c.pages === 0)
      if (refused && !split && !present.has(basename(`${parts[0]}.checkpoint.json`))) {
        await rm(parts[0]!, { force: true })
        await rm(`${parts[0]}.checkpoint.json`, { force: true })
      }
      throw err
    }
    const records = segments.reduce((a, s) => a + s.records, 0)
    const pageCount = segments.reduce((a, s) => a + s.pages, 0)
    let sha256: string
    if (joiner) {
      sha256 = await joiner.finish(records)
      // The partitions' temp files and checkpoints that exist (partitions held in memory have none).
      const names = new Set(parts.flatMap((p) => [basename(p), `${basename(p)}.checkpoint.json`]))
      const left = (await readdir(dir)).filter((n) => names.has(n))
      await mapLimit(left, 16, (n) => rm(join(dir, n), { force: true }))
    } else {
      // One partition never holds its bytes (there is no spool), so its hash covers the file.
      sha256 = segments[0]!.sha256!
    }
    await rename(`${file}.part`, file)
    await rm(`${file}.part.checkpoint.json`, { force: true })
    if (options.incremental && cursorOut) {
      await options.incremental.store.set(options.incremental.key ?? name, cursorOut() as never)
    }
    done.records = records
    done.pages = pageCount
    report(true)
    const st = await stat(file)
    return {
      resource: name,
      file,
      records,
      pages: pageCount,
      bytes: st.size,
      sha256,
      resumed: segments.some((s) => s.resumed),
    }
  })
}
