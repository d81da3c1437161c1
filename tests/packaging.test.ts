// The published shape of every public package: pack the built packages with `pnpm pack` (which
// applies `publishConfig.exports`), install the tarballs into a scratch project OUTSIDE the workspace
// with npm, then import every entry point from plain Node ESM, run the node:test fixture, run the
// CLI's bin, and type-check a TypeScript file with `moduleResolution: node16` and `bundler`.
//
// Needs the packages built and the npm registry for third-party dependencies (npm's cache makes
// reruns faster). It takes over a minute (packing, installing, two type-checks), so the default
// `pnpm test` leaves it out and CI runs it with `pnpm test:packaging` (CONCURKIT_PACKAGING=1).
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const PACKAGES = [
  'packages/contract',
  'packages/auth',
  'packages/callout-kit',
  'packages/mock-concur',
  'packages/client',
  'packages/testing',
  'packages/conformance',
  'apps/cli',
]
const skip = process.env.CONCURKIT_PACKAGING !== '1'
const title = skip
  ? 'published packages — SKIPPED in the default run: `pnpm test:packaging` (run by CI) runs it'
  : 'published packages installed from tarballs'

interface Packed {
  readonly name: string
  readonly tarball: string
  readonly subpaths: readonly string[]
}

async function sh(cmd: string, args: string[], cwd: string, timeout = 120_000) {
  try {
    return await run(cmd, args, {
      cwd,
      timeout,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, CI: '1' },
    })
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string }
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`,
    )
  }
}

describe.skipIf(skip)(title, () => {
  let scratch: string
  const packed: Packed[] = []

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'concurkit-consumer-'))
    const tarballs = join(scratch, 'tarballs')
    mkdirSync(tarballs)
    const packOne = async (dir: string): Promise<Packed> => {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
      if (!existsSync(join(root, dir, 'dist')))
        throw new Error(`${pkg.name} is not built: run \`pnpm build\` (pnpm test does) before this test`)
      const { stdout } = await sh('pnpm', ['pack', '--pack-destination', tarballs], join(root, dir))
      const file = stdout
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.trim().endsWith('.tgz'))
      if (!file) throw new Error(`pnpm pack printed no tarball for ${pkg.name}`)
      const exportsMap = (pkg.publishConfig?.exports ?? pkg.exports) as Record<string, unknown>
      return {
        name: pkg.name,
        tarball: file.trim(),
        subpaths: Object.keys(exportsMap).filter((k) => k !== './package.json'),
      }
    }
    packed.push(...(await Promise.all(PACKAGES.map(packOne))))
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'concurkit-consumer', private: true, type: 'module' }, null, 2),
    )
    // All tarballs together: pnpm rewrote `workspace:*` to 0.1.0, which only the tarballs provide.
    await sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        ...packed.map((p) => p.tarball),
        '@types/node@^20.19.0',
      ],
      scratch,
      240_000,
    )
  }, 300_000)

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it('installs outside the workspace with no workspace: ranges and no source condition', () => {
    expect(scratch.startsWith(root)).toBe(false)
    for (const p of packed) {
      const manifest = readFileSync(join(scratch, 'node_modules', p.name, 'package.json'), 'utf8')
      expect(manifest, p.name).not.toContain('workspace:')
      expect(manifest, p.name).not.toContain('@concurkit/source')
      expect(existsSync(join(scratch, 'node_modules', p.name, 'src')), `${p.name} ships src/`).toBe(false)
    }
  })

  it('imports every entry point from plain Node ESM', async () => {
    const specifiers = packed.flatMap((p) =>
      p.subpaths.map((s) => (s === '.' ? p.name : `${p.name}/${s.slice(2)}`)),
    )
    // `./vitest` needs vitest, an optional peer dependency that a node:test user does not install.
    const withoutPeers = specifiers.filter((s) => s !== '@concurkit/testing/vitest')
    const script = `
const specifiers = ${JSON.stringify(withoutPeers)}
const out = {}
for (const s of specifiers) out[s] = Object.keys(await import(s)).length
try { await import('@concurkit/testing/vitest'); out.vitestPeer = 'loaded' }
catch (err) { out.vitestPeer = err.code + ' ' + /'vitest'/.test(err.message) }
process.stdout.write(JSON.stringify(out))
`
    writeFileSync(join(scratch, 'imports.mjs'), script)
    const { stdout } = await sh(process.execPath, ['imports.mjs'], scratch)
    const counts = JSON.parse(stdout) as Record<string, number | string>
    expect(Object.keys(counts)).toEqual([...withoutPeers, 'vitestPeer'])
    for (const s of withoutPeers) expect(counts[s], s).toBeGreaterThan(0)
    expect(counts.vitestPeer).toBe('ERR_MODULE_NOT_FOUND true')
    expect(specifiers).toEqual(
      expect.arrayContaining([
        '@concurkit/contract',
        '@concurkit/mock-concur/node',
        '@concurkit/callout-kit/node',
        '@concurkit/testing/node-test',
        '@concurkit/contract/internal',
        '@concurkit/auth/internal',
        '@concurkit/client/internal',
        '@concurkit/mock-concur/internal',
        '@concurkit/callout-kit/internal',
        'concurkit',
      ]),
    )
  })

  it('runs a node:test file with the installed fixture against the installed mock', async () => {
    writeFileSync(
      join(scratch, 'fixture.test.mjs'),
      `import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useMockConcur } from '@concurkit/testing/node-test'
const concur = useMockConcur({ seed: 9, size: 6 })
test('signed in against the mock', async () => {
  assert.match(concur.credentials.baseUrl, /^http:\\/\\/127\\.0\\.0\\.1:/)
  const token = await concur.tokens.getAccessToken()
  const res = await fetch(concur.credentials.baseUrl + '/api/expense/expensereport/v1.1/Delegators', { headers: { authorization: 'Bearer ' + token } })
  assert.equal(res.status, 200)
})
`,
    )
    const { stdout } = await sh(
      process.execPath,
      ['--test', '--test-reporter=tap', 'fixture.test.mjs'],
      scratch,
    )
    expect(stdout).toMatch(/# pass 1/)
    expect(stdout).toMatch(/# fail 0/)
  })

  it('runs the installed CLI bin', async () => {
    const { stdout } = await sh(join(scratch, 'node_modules', '.bin', 'concurkit'), ['--help'], scratch)
    expect(stdout).toContain('conformance')
  })

  it('type-checks a consumer with moduleResolution node16 and bundler', async () => {
    const check = async (resolution: 'node16' | 'bundler') => {
      const dir = join(scratch, `ts-${resolution}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(
        join(dir, 'consumer.ts'),
        `import { RESOURCES, type ResourceName } from '@concurkit/contract'
import { createTokenManager, memoryStore, passwordGrant } from '@concurkit/auth'
import { createConcurClient, type ConcurClient } from '@concurkit/client'
import { createMockConcur, type MockConcur } from '@concurkit/mock-concur'
import * as mockNode from '@concurkit/mock-concur/node'
import { createConnector } from '@concurkit/callout-kit'
import * as calloutNode from '@concurkit/callout-kit/node'
import { startTestMock, type TestMockConcur } from '@concurkit/testing'
import { useMockConcur } from '@concurkit/testing/node-test'
import * as vitestFixture from '@concurkit/testing/vitest'
import { type ConformanceResult, listChecks } from '@concurkit/conformance'
import * as cli from 'concurkit'
import { readJsonPage } from '@concurkit/contract/internal'
import { toNetworkError } from '@concurkit/auth/internal'
import { buildQuery } from '@concurkit/client/internal'
import { encodeOffset } from '@concurkit/mock-concur/internal'
import { buildXml } from '@concurkit/callout-kit/internal'

const name: ResourceName = RESOURCES[0]!.name
const mock: MockConcur = createMockConcur({ seed: 1 })
const tokens = createTokenManager({ clientId: 'c', clientSecret: 's', store: memoryStore(), profile: 'p' })
const client: ConcurClient = createConcurClient({ auth: tokens })
const started: Promise<TestMockConcur> = startTestMock({ as: 'user' })
const handle = useMockConcur({ seed: 2 })
const checks: number = listChecks().length
const judged: ConformanceResult | undefined = undefined
// @ts-expect-error: the seed is a number
createMockConcur({ seed: 'one' })
export const used = [name, mock, client, started, handle, passwordGrant, createConnector, mockNode, calloutNode, vitestFixture, cli, checks, judged, readJsonPage, toNetworkError, buildQuery, encodeOffset, buildXml]
`,
      )
      const compilerOptions =
        resolution === 'node16'
          ? { module: 'node16', moduleResolution: 'node16' }
          : { module: 'esnext', moduleResolution: 'bundler' }
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...compilerOptions,
            target: 'es2022',
            strict: true,
            noEmit: true,
            // Declaration files of third-party packages are not ours to check (and slow); attw checks ours.
            skipLibCheck: true,
            types: ['node'],
            typeRoots: [join(scratch, 'node_modules/@types')],
          },
          files: ['consumer.ts'],
        }),
      )
      // package.json "type": "module" of the scratch project makes consumer.ts ESM under node16.
      await sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir)
    }
    await Promise.all([check('node16'), check('bundler')])
  })
})
