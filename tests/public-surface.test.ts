import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

// The runtime names each package's BUILT entries export, against the lists checked in beside the
// package (`api/exports.txt` for `.`, `api/internal.txt` for `./internal`). A name added to or removed
// from an entry fails here until the list is changed in the same commit: growth of the public
// surface is a reviewed change, never a side effect of an `export` line.

const ENTRIES: ReadonlyArray<readonly [dir: string, subpath: '.' | './internal']> = [
  ['packages/contract', '.'],
  ['packages/contract', './internal'],
  ['packages/auth', '.'],
  ['packages/auth', './internal'],
  ['packages/client', '.'],
  ['packages/client', './internal'],
  ['packages/mock-concur', '.'],
  ['packages/mock-concur', './internal'],
  ['packages/callout-kit', '.'],
  ['packages/callout-kit', './internal'],
  ['packages/testing', '.'],
  ['packages/conformance', '.'],
  ['apps/cli', '.'],
]

const path = (rel: string) => fileURLToPath(new URL(`../${rel}`, import.meta.url))

/** The names a list file holds: one per line, blank lines ignored. */
function listed(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** What differs between the built entry and its list, as a reviewer reads it. */
function surfaceDiff(actual: readonly string[], expected: readonly string[]) {
  const want = new Set(expected)
  const have = new Set(actual)
  return {
    added: actual.filter((n) => !want.has(n)).sort(),
    removed: expected.filter((n) => !have.has(n)).sort(),
  }
}

describe('public surface: runtime exports of the built entries match the checked-in lists', () => {
  it.each(ENTRIES)('%s %s', async (dir, subpath) => {
    const pkg = JSON.parse(readFileSync(path(`${dir}/package.json`), 'utf8')) as {
      exports: Record<string, { import?: string }>
      publishConfig?: { exports?: Record<string, unknown> }
    }
    const target = pkg.exports[subpath]?.import
    expect(target, `${dir} exports ${subpath}`).toBeDefined()
    if (subpath !== '.') expect(Object.keys(pkg.publishConfig?.exports ?? {})).toContain(subpath)
    const built = path(`${dir}/${target}`)
    expect(existsSync(built), `${built} is built (pnpm build)`).toBe(true)
    const names = Object.keys(await import(pathToFileURL(built).href)).sort()

    const listFile = `${dir}/api/${subpath === '.' ? 'exports' : 'internal'}.txt`
    const expected = listed(path(listFile))
    expect(expected, `${listFile} is sorted, one name a line, no repeats`).toEqual(
      [...new Set(expected)].sort(),
    )
    expect(
      surfaceDiff(names, expected),
      `${dir} ${subpath} differs from ${listFile}: change the list in the same commit if the change is deliberate`,
    ).toEqual({ added: [], removed: [] })
  })

  it('sees a name added to or removed from an entry', () => {
    expect(surfaceDiff(['a', 'b', 'parseXml'], ['a', 'b'])).toEqual({ added: ['parseXml'], removed: [] })
    expect(surfaceDiff(['a'], ['a', 'MockState'])).toEqual({ added: [], removed: ['MockState'] })
  })

  it('exports no name from both `.` and `./internal`', () => {
    for (const [dir, subpath] of ENTRIES) {
      if (subpath !== './internal') continue
      const pub = new Set(listed(path(`${dir}/api/exports.txt`)))
      const both = listed(path(`${dir}/api/internal.txt`)).filter((n) => pub.has(n))
      expect(both, dir).toEqual([])
    }
  })
})
