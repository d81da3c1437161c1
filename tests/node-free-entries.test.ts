import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { describe, expect, it } from 'vitest'

// A package's `.` entry is its runtime-neutral core (Web APIs only); Node glue lives in `./node`
// (shared/style.md). This follows the BUILT entry's static import graph, through the package's own
// files and its dependencies as npm users get them (dist, no source condition), and lists every
// Node built-in it reaches. Dynamic `import()` is not followed: it runs only when a Node-only
// function is called, so importing the entry on another runtime still works.

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
const isBuiltin = (p: string) =>
  p.startsWith('node:') || builtins.has(p) || builtins.has(p.split('/')[0] ?? '')

async function builtinsReachedFrom(entry: string): Promise<string[]> {
  const reached: string[] = []
  const watch: Plugin = {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'dynamic-import') return { path: args.path, external: true }
        if (isBuiltin(args.path)) {
          reached.push(`${args.path} ← ${args.importer.replace(/^.*?node_modules\/(?!.*node_modules)/, '')}`)
          return { path: args.path, external: true }
        }
        return undefined
      })
    },
  }
  await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    conditions: [],
    logLevel: 'silent',
    plugins: [watch],
  })
  return [...new Set(reached)].sort()
}

const dist = (pkg: string, file: string) =>
  fileURLToPath(new URL(`../packages/${pkg}/dist/${file}`, import.meta.url))

describe('the `.` entries import no Node built-in', () => {
  it.each(['contract', 'callout-kit', 'mock-concur'])('@concurkit/%s', async (pkg) => {
    const entry = dist(pkg, 'index.js')
    expect(existsSync(entry), `${entry} is built`).toBe(true)
    expect(await builtinsReachedFrom(entry)).toEqual([])
  })

  // `./internal` serves the `.` entries of the sibling packages (the mock's routes import the
  // contract's mapping helpers, the mock imports the callout codec's `buildXml`), so it may import
  // only what a `.` entry may.
  it.each(['contract', 'callout-kit', 'mock-concur'])('@concurkit/%s/internal', async (pkg) => {
    const entry = dist(pkg, 'internal.js')
    expect(existsSync(entry), `${entry} is built`).toBe(true)
    expect(await builtinsReachedFrom(entry)).toEqual([])
  })

  it('the check sees a built-in when one is imported (the `./node` glue)', async () => {
    const reached = await builtinsReachedFrom(dist('callout-kit', 'node.js'))
    expect(reached.some((r) => r.startsWith('node:https'))).toBe(true)
  })
})
