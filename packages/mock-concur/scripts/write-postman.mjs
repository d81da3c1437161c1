// Writes docs/postman/ from the built package (run by `build`, after tsc): the mock's Postman
// collection and an environment for `concurkit mock` with its defaults (seed 42, port 4010, http;
// with --tls change baseUrl to https://127.0.0.1:4010). The collection mints the request token.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeCompany } from '../dist/companies.js'
import { buildPostmanCollection, buildPostmanEnvironment, createMockConcur } from '../dist/index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const dir = fileURLToPath(new URL('../../../docs/postman/', import.meta.url))
const baseUrl = 'http://127.0.0.1:4010'
const company = createMockConcur().state.companies[0]
const files = {
  'concurkit-mock.postman_collection.json': buildPostmanCollection({ baseUrl, version: pkg.version }),
  'concurkit-mock.postman_environment.json': buildPostmanEnvironment(
    { companies: [describeCompany(company, baseUrl)] },
    { name: 'concurkit mock (defaults: seed 42, port 4010)' },
  ),
}
mkdirSync(dir, { recursive: true })
for (const [name, json] of Object.entries(files)) {
  const out = join(dir, name)
  const text = `${JSON.stringify(json, null, 2)}\n`
  let previous = ''
  try {
    previous = readFileSync(out, 'utf8')
  } catch {}
  // Unchanged content is not rewritten, so a build leaves the work tree clean.
  if (previous !== text) writeFileSync(out, text)
}
