import { describe, expect, it } from 'vitest'
import { parseXml } from './xml.js'

describe('parseXml nesting limit', () => {
  it('refuses a deeply nested document before validating it, whatever its size', () => {
    const deep = `${'<a>'.repeat(100_000)}x${'</a>'.repeat(100_000)}`
    const started = performance.now()
    expect(() => parseXml(deep)).toThrow(/nested deeper than 16/)
    expect(performance.now() - started).toBeLessThan(200)
  })

  it('accepts nesting up to the limit, with comments, CDATA and self-closing elements around', () => {
    const ok = `<?xml version="1.0"?><!-- <x><x><x> -->${'<a>'.repeat(15)}<b/><![CDATA[<c><c>]]>${'</a>'.repeat(15)}`
    expect(parseXml(ok)).toHaveProperty('a')
  })
})
