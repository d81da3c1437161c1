import { crc32, deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { hashHex } from '../util/hash.js'
import { receiptPng } from './images.js'

// The seeded receipt images are part of the manifest checksums (invoice images): the portable PNG
// writer must give the bytes the node:zlib one gave. This is that former writer, kept as the oracle.
function nodeZlibPng(id: string): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([len, body, crc])
  }
  const h = Buffer.from(hashHex('receipt-image', id), 'hex')
  const [width, height] = [64, 96]
  const ink = [h[0]! % 96, h[1]! % 96, h[2]! % 96]
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
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
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

describe('receiptPng', () => {
  it('gives the same bytes as the node:zlib writer for 200 ids', () => {
    for (let i = 0; i < 200; i++) {
      const id = `gW${i.toString(36)}$p${i * 7}`
      expect(Buffer.from(receiptPng(id)).equals(nodeZlibPng(id)), id).toBe(true)
    }
  })

  it('is a PNG', () => {
    expect(new TextDecoder().decode(receiptPng('x').subarray(1, 4))).toBe('PNG')
  })
})
