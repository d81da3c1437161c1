#!/usr/bin/env node
// Packs every public package the way `changeset publish` would (`pnpm pack` applies
// `publishConfig.exports`), then checks each tarball: only dist/, README.md, LICENSE and
// package.json inside, `publint` clean (warnings count), `attw` clean. Run after `turbo build`.
//
//   node scripts/check-packages.mjs [--keep <dir>]   (exit 1 on any problem)
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The public packages, in dependency order. */
export const PUBLIC_PACKAGES = [
  'packages/contract',
  'packages/auth',
  'packages/callout-kit',
  'packages/mock-concur',
  'packages/client',
  'packages/testing',
  'packages/conformance',
  'apps/cli',
]

const ALLOWED = [
  /^package\/dist\//,
  /^package\/README\.md$/,
  /^package\/LICENSE$/,
  /^package\/package\.json$/,
]
const REQUIRED = ['package/package.json', 'package/README.md', 'package/LICENSE']

/** Packs one package into `dir`; returns the tarball path. */
export function pack(pkgDir, dir) {
  const out = execFileSync('pnpm', ['pack', '--pack-destination', dir], {
    cwd: join(root, pkgDir),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const tarball = out
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith('.tgz'))
  if (!tarball) throw new Error(`pnpm pack printed no tarball for ${pkgDir}`)
  return resolve(dir, tarball)
}

function run(cmd, args) {
  try {
    return { ok: true, out: execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }) }
  } catch (err) {
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` || String(err) }
  }
}

/** Checks one tarball; returns the problems found. */
export function checkTarball(tarball, pkgDir) {
  const problems = []
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((f) => !f.endsWith('/'))
  for (const f of files)
    if (!ALLOWED.some((re) => re.test(f))) problems.push(`unexpected file in tarball: ${f}`)
  for (const f of REQUIRED) if (!files.includes(f)) problems.push(`missing from tarball: ${f}`)
  for (const f of files)
    if (/^package\/dist\/.*(\.test\.|__tests__\/|-testing\.)/.test(f))
      problems.push(`test helper compiled into the package: ${f}`)
  if (!files.some((f) => f.startsWith('package/dist/')))
    problems.push('no dist/ in tarball (run `pnpm build`)')
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  )
  if (JSON.stringify(manifest).includes('@concurkit/source'))
    problems.push('packed package.json still has the in-repo @concurkit/source condition')
  if (JSON.stringify(manifest).includes('workspace:'))
    problems.push('packed package.json has a workspace: range')

  const publint = run(join(root, 'node_modules/.bin/publint'), [
    'run',
    tarball,
    '--level',
    'warning',
    '--strict',
  ])
  if (!publint.ok || /warning|error/i.test(publint.out.replace(/All good!?/i, '')))
    problems.push(`publint:\n${publint.out.trim()}`)
  // ESM-only packages: the esm-only profile ignores CommonJS resolution (there is no require export).
  const attw = run(join(root, 'node_modules/.bin/attw'), [
    tarball,
    '--profile',
    'esm-only',
    '--format',
    'ascii',
  ])
  if (!attw.ok) problems.push(`attw:\n${attw.out.trim()}`)
  return { problems, files, name: manifest.name, pkgDir }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const keep = process.argv.indexOf('--keep')
  const dir = keep > 0 ? resolve(process.argv[keep + 1]) : mkdtempSync(join(tmpdir(), 'concurkit-pack-'))
  mkdirSync(dir, { recursive: true })
  let failed = 0
  try {
    for (const pkgDir of PUBLIC_PACKAGES) {
      const { name } = JSON.parse(readFileSync(join(root, pkgDir, 'package.json'), 'utf8'))
      let result
      try {
        result = checkTarball(pack(pkgDir, dir), pkgDir)
      } catch (err) {
        result = { problems: [String(err.message ?? err)], files: [] }
      }
      if (result.problems.length === 0) {
        process.stdout.write(`ok   ${name} (${result.files.length} files)\n`)
      } else {
        failed++
        process.stdout.write(
          `FAIL ${name}\n${result.problems.map((p) => `  - ${p.replace(/\n/g, '\n    ')}`).join('\n')}\n`,
        )
      }
    }
  } finally {
    if (keep < 0) rmSync(dir, { recursive: true, force: true })
  }
  if (failed > 0) {
    process.stderr.write(`${failed} package(s) have packaging problems\n`)
    process.exit(1)
  }
}
