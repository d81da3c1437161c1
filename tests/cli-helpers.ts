import { execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built CLI (the root test command builds before vitest runs). */
export const CLI = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node apps/cli/dist/bin.js ...args` as a child process. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env }
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: env as NodeJS.ProcessEnv, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code =
          err && typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : err
              ? -1
              : 0
        if (err && code === -1 && !(err as { killed?: boolean }).killed && stderr === '') reject(err)
        else resolve({ code, stdout, stderr })
      },
    )
    child.stdin?.end(options.input ?? '')
  })
}

export { spawn }
