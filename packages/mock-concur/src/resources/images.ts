import type { Context } from 'hono'
import { deflate } from 'pako'
import type { MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { hashHex } from '../util/hash.js'

/** CRC-32 (IEEE, as PNG uses) lookup table. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const u32 = (n: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n >>> 0)
  return b
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = concat([Uint8Array.from(type, (ch) => ch.charCodeAt(0)), data])
  return concat([u32(data.length), body, u32(crc32(body))])
}

/**
 * A small deterministic PNG (64×96, RGB) drawn from an id: a paper-coloured receipt with lines whose
 * lengths and ink colour come from the id's hash. The same id gives the same bytes everywhere: the
 * IDAT is compressed by pako (a port of zlib, whose level-9 output equals Node's `zlib`).
 *
 * @example
 * new TextDecoder().decode(receiptPng('gWr…').subarray(1, 4)) // 'PNG'
 */
export function receiptPng(id: string): Uint8Array {
  const hexHash = hashHex('receipt-image', id)
  const h = Uint8Array.from({ length: hexHash.length / 2 }, (_, i) =>
    Number.parseInt(hexHash.slice(i * 2, i * 2 + 2), 16),
  )
  const width = 64
  const height = 96
  const ink = [h[0]! % 96, h[1]! % 96, h[2]! % 96]
  const raw = new Uint8Array((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0
    const line = Math.floor(y / 6)
    const isText = y % 6 >= 2 && y % 6 <= 3 && y > 6 && y < height - 6
    const length = 12 + (h[line % h.length]! % 40)
    for (let x = 0; x < width; x++) {
      const o = row + 1 + x * 3
      const text = isText && x >= 6 && x < 6 + length
      raw[o] = text ? ink[0]! : 250
      raw[o + 1] = text ? ink[1]! : 248
      raw[o + 2] = text ? ink[2]! : 240
    }
  }
  const ihdr = new Uint8Array(13)
  ihdr.set(u32(width), 0)
  ihdr.set(u32(height), 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return concat([
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflate(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ])
}

/** The content types a receipt image upload may have. */
export const IMAGE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/gif',
  'image/tiff',
  'application/pdf',
]

/** What an image upload accepts: its content types, its size limit and how the 415 and 413 read. */
export interface UploadRules {
  readonly types: readonly string[]
  readonly maxBytes: number
  /** The 415 message for a content type not in `types`. */
  readonly unsupported: (type: string) => string
  /** The 413 message. */
  readonly tooLarge: string
}

/**
 * The uploaded image of a request: a raw body of an image type, or the first file of a multipart
 * form. Concur's 400 (unreadable form, no file, empty image), 415 (type) or 413 (size) otherwise;
 * the type is checked before the size.
 *
 * @example
 * const image = await uploadedImage(c, { types: IMAGE_TYPES, maxBytes: 5 * 1024 * 1024, unsupported: (t) => `Unsupported image type '${t}'`, tooLarge: 'The image is larger than 5 MB' })
 */
export async function uploadedImage(
  c: Context<MockEnv>,
  rules: UploadRules,
): Promise<{ type: string; data: Uint8Array }> {
  const mediaType = (value: string) => value.split(';')[0]!.trim().toLowerCase()
  const header = mediaType(requestHeader(c, 'content-type') ?? '')
  let type = header
  let read: () => Promise<ArrayBuffer> = () => c.req.arrayBuffer()
  if (header === 'multipart/form-data') {
    let form: Record<string, unknown>
    try {
      form = await c.req.parseBody({ all: false })
    } catch {
      throw new ConcurHttpError(400, 'The multipart body could not be read')
    }
    const file = Object.values(form).find((v): v is File => v instanceof File)
    if (!file) throw new ConcurHttpError(400, 'The form has no image file')
    type = mediaType(file.type)
    read = () => file.arrayBuffer()
  }
  if (!rules.types.includes(type)) throw new ConcurHttpError(415, rules.unsupported(type))
  const data = new Uint8Array(await read())
  if (data.length === 0) throw new ConcurHttpError(400, 'The image body is empty')
  if (data.length > rules.maxBytes) throw new ConcurHttpError(413, rules.tooLarge)
  return { type, data }
}
