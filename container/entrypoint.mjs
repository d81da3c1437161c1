#!/usr/bin/env node
// The container's entrypoint: `concurkit` with `mock` as the default command. For `mock`, the
// CONCURKIT_* environment variables below become flags placed BEFORE the command line's own, so an
// argument given to `docker run <image> mock …` wins over the environment; every other argument
// (including flags this file does not know, such as `--tls`) is passed through unchanged. Any other
// command (`docker run <image> conformance --target …`) runs as given, without the environment
// mapping. The CLI runs in this process (PID 1), so SIGTERM from `docker stop` stops the mock at once.
//
//   CONCURKIT_HOST         --host          (the image sets 0.0.0.0)
//   CONCURKIT_PORT         --port          (the image sets 4010; datacenter i listens on port + i)
//   CONCURKIT_SEED         --seed
//   CONCURKIT_COMPANIES    --companies
//   CONCURKIT_SIZE         --size
//   CONCURKIT_DATACENTERS  --datacenters
//   CONCURKIT_ADMIN_KEY    --admin-key-env CONCURKIT_ADMIN_KEY (the key itself never enters argv)
//   CONCURKIT_JSON         --json          (1/true/yes or 0/false/no)
//   CONCURKIT_CONSENT      --consent       (1/true/yes or 0/false/no)
//   CONCURKIT_ARGS         further flags, split on whitespace (e.g. `--tls`), after the ones above
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const VALUED = [
  ['CONCURKIT_HOST', '--host'],
  ['CONCURKIT_PORT', '--port'],
  ['CONCURKIT_SEED', '--seed'],
  ['CONCURKIT_COMPANIES', '--companies'],
  ['CONCURKIT_SIZE', '--size'],
  ['CONCURKIT_DATACENTERS', '--datacenters'],
]
const SWITCHES = [
  ['CONCURKIT_JSON', '--json'],
  ['CONCURKIT_CONSENT', '--consent'],
]

class EnvError extends Error {}

function isSet(value) {
  return value !== undefined && value.trim() !== ''
}

function switchOn(name, value) {
  const v = value.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off'].includes(v)) return false
  throw new EnvError(`${name} must be 1, true, yes or 0, false, no (got "${value}")`)
}

/** The flags the environment asks for, in a fixed order. */
function flagsFromEnv(env) {
  const flags = []
  for (const [name, flag] of VALUED) if (isSet(env[name])) flags.push(flag, env[name].trim())
  if (isSet(env.CONCURKIT_ADMIN_KEY)) flags.push('--admin-key-env', 'CONCURKIT_ADMIN_KEY')
  for (const [name, flag] of SWITCHES) if (isSet(env[name]) && switchOn(name, env[name])) flags.push(flag)
  if (isSet(env.CONCURKIT_ARGS)) flags.push(...env.CONCURKIT_ARGS.trim().split(/\s+/))
  return flags
}

const given = process.argv.slice(2)
const args = given.length === 0 ? ['mock'] : given
if (args[0] === 'mock') {
  try {
    args.splice(1, 0, ...flagsFromEnv(process.env))
  } catch (err) {
    if (!(err instanceof EnvError)) throw err
    process.stderr.write(`error: ${err.message}\n`)
    process.exit(2)
  }
}

const bin = new URL('../dist/bin.js', import.meta.url)
process.argv = [process.argv[0], fileURLToPath(bin), ...args]
await import(bin.href)
