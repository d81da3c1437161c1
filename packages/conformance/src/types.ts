import type { ResourceName } from '@concurkit/contract'
import type { TargetContext } from './context.js'

/** A check's result status. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

/** What a target must offer for a check to run: mock-only features are skipped on real Concur. */
export type Capability =
  /** The mock's clock (`POST /_mock/clock`). */
  | 'clock'
  /** The mock's fault rules. */
  | 'faults'
  /** Writes (creating records, jobs, connectors). */
  | 'writes'
  /** The mock's admin API (manifest, companies, request tokens). */
  | 'admin'
  /** Credentials for more than one principal (other users, the limited app, other companies). */
  | 'fixtures'
  /** A company-level token (company request token grant) for the APIs that refuse user tokens. */
  | 'company-token'
  /**
   * Creating and deleting Event Subscription Service subscriptions on the app. The mock has it; a
   * remote target only when opted in (`allowSubscriptions`): each is deleted again by the check.
   */
  | 'subscriptions'

/**
 * One entry of the conformance catalogue.
 *
 * @example
 * const check: CheckDefinition = { id: 'oauth.jwks', title: 'JWKS is served', reference: 'A.6', group: 'oauth', run: async (t) => pass('2 keys') }
 */
export interface CheckDefinition {
  /** Stable id, never renamed once released: `oauth.refresh.rotates`, `reports.<resource>.paging.no-duplicates`. */
  readonly id: string
  readonly title: string
  /** Section of the reference (the numbering of the Concur API reference) the check verifies, e.g. `A.4`. */
  readonly reference: string
  /** Report group (pretty reporter heading, JUnit suite). */
  readonly group: string
  /** Capabilities needed; on a target without them the check is skipped with a reason. */
  readonly requires?: readonly Capability[]
  /** The registry resource exercised (coverage). */
  readonly resource?: ResourceName
  /** Documented parameters exercised (coverage), e.g. `['limit']` or `['approvalStatusCode']`. */
  readonly params?: readonly string[]
  /**
   * Why the check cannot run where its capabilities are missing, in a user's words (shown as the
   * skip reason, e.g. "would count toward the user's lockout on a real tenant").
   */
  readonly unavailable?: string
  /** Runs alone, after the concurrent checks (it changes shared state: clock, faults, revocation). */
  readonly exclusive?: boolean
  run(target: TargetContext): Promise<CheckOutcome>
}

/** What a check returns. Failures are thrown with `fail()` (or any error). */
export interface CheckOutcome {
  readonly status: 'pass' | 'warn' | 'skip'
  readonly reason: string
}

/** One check's result as reported. */
export interface CheckResult {
  readonly id: string
  readonly title: string
  readonly group: string
  readonly reference: string
  readonly status: CheckStatus
  readonly reason: string
  readonly durationMs: number
}

/** Coverage: how much of the registry a run exercised. */
export interface Coverage {
  readonly resources: { readonly exercised: number; readonly total: number }
  readonly parameters: { readonly exercised: number; readonly total: number }
}

/** The outcome of a run. */
export interface RunReport {
  readonly summary: {
    readonly passed: number
    readonly failed: number
    readonly warned: number
    readonly skipped: number
    readonly durationMs: number
    readonly coverage: Coverage
  }
  readonly checks: readonly CheckResult[]
  readonly target: string
}

/** Thrown by a check to fail with a one-line reason. */
export class CheckFailure extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'CheckFailure'
  }
}

/** Fails the current check. */
export function fail(reason: string): never {
  throw new CheckFailure(reason)
}

/** Fails the current check unless `condition` holds. */
export function expect(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new CheckFailure(reason)
}

export function pass(reason: string): CheckOutcome {
  return { status: 'pass', reason }
}

export function warn(reason: string): CheckOutcome {
  return { status: 'warn', reason }
}

export function skip(reason: string): CheckOutcome {
  return { status: 'skip', reason }
}
