// Writes docs/openapi.json from the built package (run by `build`, after tsc).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildOpenApiDocument } from '../dist/index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const out = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url))
const text = `${JSON.stringify(buildOpenApiDocument({ version: pkg.version }), null, 2)}\n`
mkdirSync(dirname(out), { recursive: true })
let previous = ''
try {
  previous = readFileSync(out, 'utf8')
} catch {}
// Unchanged content is not rewritten, so a build leaves the work tree clean.
if (previous !== text) writeFileSync(out, text)
