import type { MockCompany } from '../../companies.js'
import { DAY_MS, LEGACY_EPOCH_MS, opaqueId } from './common.js'

/** The extract definitions of every company: name and the report countries it extracts (none = all). */
export const EXTRACT_DEFINITIONS: readonly {
  readonly name: string
  readonly countries?: readonly string[]
}[] = [
  { name: 'Standard Accounting Extract' },
  { name: 'European Extract', countries: ['GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'IE', 'CH', 'SE', 'BE'] },
  { name: 'Asian Extract', countries: ['JP', 'SG', 'IN', 'CN', 'HK', 'KR'] },
  { name: 'AMEX Remittance - US', countries: ['US'] },
]

/** Seeded (historical, completed) jobs per definition. */
export const SEEDED_JOBS_PER_DEFINITION = 2
/** Seconds a new job waits in `Queued`, then runs `In Process` until `EXTRACT_RUN_SECONDS`. */
export const EXTRACT_QUEUE_SECONDS = 10
export const EXTRACT_RUN_SECONDS = 60

/** The opaque id of definition *k* (`nYoPK$pZmcowMRUqcl5bnDAwwsMydyt$xd`-like). */
export function definitionId(seed: number, company: Pick<MockCompany, 'id'>, k: number): string {
  return opaqueId(34, seed, company.id, 'extract-definition', k)
}

/** The definition index of an id of this company, if any. */
export function definitionIndexOf(
  seed: number,
  company: Pick<MockCompany, 'id'>,
  id: string,
): number | undefined {
  for (let k = 0; k < EXTRACT_DEFINITIONS.length; k++) if (definitionId(seed, company, k) === id) return k
  return undefined
}

/** The opaque id of job *n* of definition *k* (jobs are numbered per definition from 0). */
export function jobId(seed: number, company: Pick<MockCompany, 'id'>, k: number, n: number): string {
  return opaqueId(34, seed, company.id, 'extract-job', k, n)
}

/** Start of seeded job *n* of definition *k* (weekly runs before the dataset epoch). */
export function seededJobStart(k: number, n: number): number {
  return LEGACY_EPOCH_MS - (SEEDED_JOBS_PER_DEFINITION - n) * 7 * DAY_MS + (k * 15 + 2) * 60_000
}

/** One job: which definition, its number and when it started (mock clock ms). */
export interface ExtractJobRecord {
  readonly definition: number
  readonly n: number
  readonly id: string
  readonly startMs: number
}

/** A job's status at an instant. */
export function jobState(
  job: Pick<ExtractJobRecord, 'startMs'>,
  nowMs: number,
): { status: 'Queued' | 'In Process' | 'Completed'; stopMs?: number } {
  const elapsed = (nowMs - job.startMs) / 1000
  if (elapsed < EXTRACT_QUEUE_SECONDS) return { status: 'Queued' }
  if (elapsed < EXTRACT_RUN_SECONDS) return { status: 'In Process' }
  return { status: 'Completed', stopMs: job.startMs + EXTRACT_RUN_SECONDS * 1000 }
}

/** The jobs created through the API (the overlay), per company and definition; cleared by `reset()`. */
export class ExtractJobStore {
  readonly #jobs = new Map<string, ExtractJobRecord[]>()

  /** Jobs created for a definition, oldest first. */
  created(companyId: string, definition: number): readonly ExtractJobRecord[] {
    return this.#jobs.get(`${companyId}/${definition}`) ?? []
  }

  add(companyId: string, job: ExtractJobRecord): void {
    const key = `${companyId}/${job.definition}`
    const list = this.#jobs.get(key) ?? []
    list.push(job)
    // Concur lists the last 100 jobs; older ones are forgotten so the overlay stays small.
    if (list.length > 200) list.splice(0, list.length - 200)
    this.#jobs.set(key, list)
  }

  reset(): void {
    this.#jobs.clear()
  }
}
