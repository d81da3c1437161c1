import { createRequire } from 'node:module'
import { Command } from 'commander'

const require = createRequire(import.meta.url)
const { version } = require('../package.json') as { version: string }

/** Builds the `concurkit` command tree. */
export function buildProgram(): Command {
  const program = new Command('concurkit')
    .description('Build and test SAP Concur integrations offline, then run them against real Concur.')
    .version(version, '-V, --version')
  return program
}
