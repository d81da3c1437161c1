import { RESOURCES } from '@concurkit/contract'
import type { TargetContext } from './context.js'
import {
  type Capability,
  type CheckDefinition,
  CheckFailure,
  type CheckResult,
  type CheckStatus,
  type Coverage,
  type RunReport,
} from './types.js'

/** Why a capability exists on the built-in mock only. */
const CAPABILITY_REASONS: Readonly<Record<Capability, string>> = {
  clock: "it moves the mock's clock (POST /_mock/clock); a real tenant's clock cannot be moved",
  faults: "it injects the mock's fault rules, which Concur does not have",
  writes: 'it creates or changes data, and a run against a real tenant never writes',
  admin: "it reads the mock's admin API (/_mock/…), which Concur does not have",
  fixtures: 'it needs credentials of principals the mock seeds (other users, a limited app, another company)',
  subscriptions:
    'it creates (and deletes) an ESS subscription on the app; opt in with allowSubscriptions to run it against a real tenant',
  'company-token':
    'the API accepts company-level tokens only (a company request token from the App Center), and the run has a user',
}

/** Options of `runChecks`. */
export interface RunOptions {
  /** Checks running at once (the non-exclusive ones). Default 8. */
  concurrency?: number
  /** Per-check time limit in ms. Default 20 s. */
  timeoutMs?: number
  /** Only checks whose id starts with one of these prefixes. */
  only?: readonly string[]
  /** Called as each check finishes (the pretty reporter streams with it). */
  onResult?: (result: CheckResult) => void
  /** Stops the run: no further check starts, running ones are abandoned, `runChecks` rejects with the reason. */
  signal?: AbortSignal
}

/**
 * Runs a catalogue against a target: checks the target cannot support are skipped with a reason,
 * the others run concurrently (exclusive ones alone, afterwards), each bounded in time; a thrown
 * error fails only its own check.
 *
 * @example
 * const report = await runChecks(catalogue(target), target, { concurrency: 8 })
 */
export async function runChecks(
  checks: readonly CheckDefinition[],
  target: TargetContext,
  options: RunOptions = {},
): Promise<RunReport> {
  const started = performance.now()
  const concurrency = Math.max(1, options.concurrency ?? 8)
  const timeoutMs = options.timeoutMs ?? 20_000
  const selected = options.only?.length
    ? checks.filter((c) =>
        options.only!.some((p) => c.id === p || c.id.startsWith(p.endsWith('.') ? p : `${p}.`)),
      )
    : checks
  const results = new Map<string, CheckResult>()
  const exercised = { resources: new Set<string>(), params: new Set<string>() }

  const runOne = async (check: CheckDefinition): Promise<void> => {
    const t0 = performance.now()
    let status: CheckStatus
    let reason: string
    const missing = (check.requires ?? []).filter((cap) => !target.capabilities.has(cap))
    if (missing.length > 0) {
      status = 'skip'
      reason = check.unavailable
        ? `not run against ${target.label}: ${check.unavailable}`
        : `not run against ${target.label}: ${missing.map((cap) => CAPABILITY_REASONS[cap]).join('; ')}`
    } else {
      try {
        const outcome = await withTimeout(check.run(target), timeoutMs, check.id, options.signal)
        status = outcome.status
        reason = outcome.reason
      } catch (err) {
        status = 'fail'
        reason = err instanceof CheckFailure ? err.message : describeError(err)
      }
      if (status !== 'skip') {
        if (check.resource) exercised.resources.add(check.resource)
        for (const p of check.params ?? []) exercised.params.add(`${check.resource ?? '*'}:${p}`)
      }
    }
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      group: check.group,
      reference: check.reference,
      status,
      reason: target.redact(oneLine(reason)),
      durationMs: Math.round(performance.now() - t0),
    }
    results.set(check.id, result)
    options.onResult?.(result)
  }

  const concurrent = selected.filter((c) => !c.exclusive)
  const exclusive = selected.filter((c) => c.exclusive)
  let next = 0
  const workers = Array.from({ length: Math.min(concurrency, concurrent.length) }, async () => {
    while (next < concurrent.length) {
      options.signal?.throwIfAborted()
      const check = concurrent[next++]!
      await runOne(check)
    }
  })
  await Promise.all(workers)
  for (const check of exclusive) {
    options.signal?.throwIfAborted()
    await runOne(check)
  }
  options.signal?.throwIfAborted()

  const ordered = selected.map((c) => results.get(c.id)!)
  const count = (s: CheckStatus) => ordered.filter((r) => r.status === s).length
  return {
    target: target.label,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      warned: count('warn'),
      skipped: count('skip'),
      durationMs: Math.round(performance.now() - started),
      coverage: coverageOf(exercised),
    },
    checks: ordered,
  }
}

function coverageOf(exercised: { resources: Set<string>; params: Set<string> }): Coverage {
  let totalParams = 0
  let hitParams = 0
  for (const r of RESOURCES) {
    const documented = new Set(r.filters.map((f) => f.param))
    if (r.paging.kind === 'v3') documented.add('limit').add('offset')
    totalParams += documented.size
    for (const p of documented) if (exercised.params.has(`${r.name}:${p}`)) hitParams++
  }
  const hitResources = RESOURCES.filter((r) => exercised.resources.has(r.name)).length
  return {
    resources: { exercised: hitResources, total: RESOURCES.length },
    parameters: { exercised: hitParams, total: totalParams },
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, id: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        // Referenced (cleared in `finally`): a check stuck on a promise with no I/O behind it must
        // end as a timeout, not let the process exit with the run unfinished.
        timer = setTimeout(() => reject(new CheckFailure(`timed out after ${ms} ms (${id})`)), ms)
        if (signal) {
          onAbort = () => reject(signal.reason)
          if (signal.aborted) onAbort()
          else signal.addEventListener('abort', onAbort, { once: true })
        }
      }),
    ])
  } finally {
    clearTimeout(timer)
    if (onAbort) signal?.removeEventListener('abort', onAbort)
  }
}

/** A one-line description of an unexpected error (code and message, never a stack). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const prefix = typeof code === 'string' ? `${code}: ` : ''
    return `${prefix}${err.message}`
  }
  return String(err)
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 400 ? `${line.slice(0, 397)}...` : line
}
