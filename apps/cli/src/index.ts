export { CliError, EXIT, type ExitCode, exitCodeOf } from './errors.js'
export { main } from './main.js'
export { buildProgram } from './program.js'
