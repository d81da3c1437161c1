#!/usr/bin/env node
// Prepares the build context of the container image (see Containerfile): the production bundle of
// the CLI made by `pnpm deploy` from the lockfile and the local store (no registry needed once
// `pnpm install` has run), trimmed of what Node never loads (TypeScript sources and declarations,
// source maps, Markdown, pnpm's own bookkeeping), plus the entrypoint and the health check.
//
//   node scripts/container-context.mjs [--out <dir>]     (default .container; run after `turbo build`)
//   docker build -f Containerfile -t concurkit <dir>      (or `podman build`)
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Files Node never loads at run time. */
const DROP = /\.(?:d\.[cm]?ts|[cm]?ts|tsx|map|md|markdown)$/i

function prune(dir) {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isSymbolicLink()) continue
    if (entry.isDirectory()) bytes += prune(path)
    else if (DROP.test(entry.name)) {
      bytes += statSync(path).size
      rmSync(path)
    }
  }
  return bytes
}

function size(dir) {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) bytes += size(path)
    else if (entry.isFile()) bytes += statSync(path).size
  }
  return bytes
}

const { values } = parseArgs({ options: { out: { type: 'string', default: '.container' } } })
const out = resolve(root, values.out)
if (!existsSync(join(root, 'apps/cli/dist/bin.js'))) {
  process.stderr.write(
    'error: apps/cli is not built; run `pnpm turbo run build --filter=concurkit...` first\n',
  )
  process.exit(2)
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const app = join(out, 'app')
// `inject-workspace-packages` only for this command: the deploy copies the workspace packages in
// (from their `files`, i.e. dist/) as the lockfile resolves them, without changing the workspace.
// No optional dependencies: DuckDB (70 MB, for `extract --format parquet` / `--to duckdb:`) stays
// out of the mock's image.
execFileSync(
  'pnpm',
  [
    '--config.inject-workspace-packages=true',
    '--filter',
    'concurkit',
    'deploy',
    '--prod',
    '--no-optional',
    '--prefer-offline',
    app,
  ],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
)
for (const name of ['pnpm-lock.yaml', 'node_modules/.modules.yaml', 'node_modules/.pnpm/lock.yaml']) {
  rmSync(join(app, name), { force: true })
}
rmSync(join(app, 'node_modules/.bin'), { recursive: true, force: true })
const dropped = prune(app)
mkdirSync(join(app, 'container'))
for (const file of ['entrypoint.mjs', 'healthcheck.mjs'])
  cpSync(join(root, 'container', file), join(app, 'container', file))

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`
process.stdout.write(
  `container context ${out}: ${mb(size(app))} (${mb(dropped)} of sources, declarations and maps left out)\n` +
    `build it: docker build -f Containerfile -t concurkit ${values.out}\n`,
)
