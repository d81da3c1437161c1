import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { signConcurEvent, verifyConcurEventSignature } from './events.js'
import { createRecordDigest } from './manifest.js'

// On a runtime without Node's crypto the `.` entry still loads: hashing falls back to pure JS
// with the same result, and the RSA-PSS functions refuse with a clear error.
const withoutNode = () =>
  vi
    .spyOn(process as unknown as { getBuiltinModule: (id: string) => unknown }, 'getBuiltinModule')
    .mockReturnValue(undefined)

afterEach(() => vi.restoreAllMocks())

describe('contract crypto off Node', () => {
  const records = [
    { ID: 'R1', Name: 'Zoë 東京 🔑', Amount: 12.5 },
    { ID: 'R2', URI: 'https://x/R2' },
    [1, null],
  ]
  const expected = () => {
    const h = createHash('sha256')
    for (const r of records) {
      const { URI: _u, ...rest } = (Array.isArray(r) ? { r } : r) as Record<string, unknown>
      h.update(`${JSON.stringify(Array.isArray(r) ? r : rest, Object.keys(rest).sort())}\n`)
    }
    return h.digest('hex')
  }

  it('the record digest is the same with and without node:crypto', () => {
    const native = createRecordDigest()
    for (const r of records) native.add(r)
    withoutNode()
    const portable = createRecordDigest()
    for (const r of records) portable.add(r)
    expect(portable.result()).toEqual(native.result())
    expect(native.result()).toEqual({ count: 3, sha256: expected() })
  })

  it('signing and verifying name the need for Node instead of crashing', () => {
    withoutNode()
    expect(() => signConcurEvent('{}', 'not a key')).toThrow(/signConcurEvent needs Node\.js/)
    expect(() => verifyConcurEventSignature('{}', 'abc', 'not a key')).toThrow(
      /verifyConcurEventSignature needs Node\.js/,
    )
  })
})
