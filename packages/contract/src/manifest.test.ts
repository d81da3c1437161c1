import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson, createRecordDigest, digestRecords } from './manifest.js'

describe('manifest checksum', () => {
  it('is key-order independent and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: null }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":null,"y":2}]},"b":1}',
    )
  })

  it('hashes canonical lines in order and ignores the top-level URI', () => {
    const expected = createHash('sha256')
      .update('{"ID":"a"}\n{"ID":"b","Nested":{"URI":"kept"}}\n')
      .digest('hex')
    const got = digestRecords([
      { ID: 'a', URI: 'http://127.0.0.1:1/a' },
      { URI: 'http://other/b', Nested: { URI: 'kept' }, ID: 'b' },
    ])
    expect(got).toEqual({ count: 2, sha256: expected })
    expect(digestRecords([{ ID: 'b' }, { ID: 'a' }]).sha256).not.toBe(expected)
  })

  it('streams: result() can be read midway and later', () => {
    const d = createRecordDigest()
    d.add({ ID: 'a' })
    const first = d.result()
    d.add({ ID: 'b' })
    expect(first.count).toBe(1)
    expect(d.result()).toEqual(digestRecords([{ ID: 'a' }, { ID: 'b' }]))
  })
})
