import { z } from 'zod'

/**
 * Where an integration should go instead of a deprecated or decommissioned endpoint.
 */
export interface Replacement {
  /** Concur's name for the replacing API, e.g. `Identity v4.1`. */
  readonly api: string
  /** Its base path as Concur documents it, e.g. `/profile/identity/v4.1/Users`. */
  readonly path: string
}

/**
 * The lifecycle of an endpoint as Concur's deprecation policy defines it: *active*; *deprecated*
 * (superseded, "new apps will be denied access", kept at least 12 months); *decommissioned* (no
 * longer available on production). Dates are `YYYY-MM-DD` as the release notes print them.
 *
 * @see https://developer.concur.com/tools-support/deprecation-policy.html
 */
export type Lifecycle =
  | { readonly status: 'active' }
  | {
      readonly status: 'deprecated'
      /** The documented deprecation date; absent where Concur gives none. */
      readonly deprecated?: string
      /** `undefined` where Concur names no replacement. */
      readonly replacement?: Replacement
      /** The page or release note announcing it (linked from `x-api-warn`). */
      readonly notice: string
    }
  | {
      readonly status: 'decommissioned'
      readonly deprecated?: string
      readonly decommissioned: string
      readonly replacement?: Replacement
      readonly notice: string
    }

/** The lifecycle of an endpoint that Concur has not deprecated. */
export const ACTIVE: Lifecycle = Object.freeze({ status: 'active' })

/** The statuses of {@link Lifecycle}, for CLI output and filters. */
export const LifecycleStatus = z.enum(['active', 'deprecated', 'decommissioned'])
export type LifecycleStatus = z.infer<typeof LifecycleStatus>

const DEV = 'https://developer.concur.com'

/** A documentation URL of developer.concur.com from its source path (`.markdown`/`.md` → `.html`). */
export function concurDocUrl(path: string): string {
  return `${DEV}/${path.replace(/^\/+/, '').replace(/\.(markdown|md)$/, '.html')}`
}

/**
 * The response headers Concur sends for an endpoint in deprecation (since the 2026-03 release):
 * `x-api-warn` naming the endpoint and its replacement, and `sunset` with an HTTP-date. `sunset`
 * carries the decommission date once it is known and the deprecation date before that (as
 * Concur's documented example does); it is absent when Concur published neither.
 *
 * @example
 * deprecationHeaders('/api/v3.0/common/lists', LIST_ITEMS_LIFECYCLE)
 * // { 'x-api-warn': "'/api/v3.0/common/lists' is deprecated; use '/list/v4/lists'. See '…' for details.",
 * //   sunset: 'Fri, 16 Apr 2021 00:00:00 GMT' }
 * @see https://developer.concur.com/tools-support/release-notes/api/2026-03-03.html
 */
export function deprecationHeaders(
  endpoint: string,
  lifecycle: Lifecycle,
): { readonly 'x-api-warn': string; readonly sunset?: string } | undefined {
  if (lifecycle.status === 'active') return undefined
  const verb = lifecycle.status === 'decommissioned' ? 'decommissioned' : 'deprecated'
  const use = lifecycle.replacement ? `; use '${lifecycle.replacement.path}'` : ''
  const warn = `'${endpoint}' is ${verb}${use}. See '${lifecycle.notice}' for details.`
  const date = lifecycle.status === 'decommissioned' ? lifecycle.decommissioned : lifecycle.deprecated
  return { 'x-api-warn': warn, ...(date ? { sunset: httpDate(date) } : {}) }
}

/** `2021-04-16` → `Fri, 16 Apr 2021 00:00:00 GMT` (IMF-fixdate, RFC 9110 §5.6.7). */
function httpDate(day: string): string {
  return new Date(`${day}T00:00:00Z`).toUTCString()
}

/**
 * What a response said about its endpoint's deprecation, read from `x-api-warn` and `sunset`.
 * `replacement` and `notice` are taken from the documented `x-api-warn` format when it matches;
 * `warning` always holds the header's text.
 */
export const DeprecationNotice = z.object({
  /** The `x-api-warn` header as received. */
  warning: z.string(),
  /** The endpoint the warning names, when the header follows Concur's format. */
  endpoint: z.string().optional(),
  status: z.enum(['deprecated', 'decommissioned']),
  /** The replacement path the warning names. */
  replacement: z.string().optional(),
  /** The details URL the warning names. */
  notice: z.string().optional(),
  /** The `sunset` header as an ISO timestamp, when present and a valid HTTP-date. */
  sunset: z.string().optional(),
})
export type DeprecationNotice = z.infer<typeof DeprecationNotice>

const WARN =
  /^'([^']*)' is (deprecated|decommissioned)(?:; use '([^']*)')?\.(?: See '([^']*)' for details\.)?/

/**
 * Reads Concur's deprecation headers; `undefined` when the response carries no `x-api-warn`.
 *
 * @example
 * const notice = parseDeprecationHeaders((name) => res.headers.get(name))
 * if (notice) console.warn(`${notice.endpoint} → ${notice.replacement}`)
 */
export function parseDeprecationHeaders(
  header: (name: string) => string | null | undefined,
): DeprecationNotice | undefined {
  const warning = header('x-api-warn')
  if (!warning) return undefined
  // Concur's documented example wraps the value in single quotes as YAML would; accept both.
  const text = warning.replace(/^'(.*)'$/s, '$1').replace(/''/g, "'")
  const m = WARN.exec(text)
  const sunsetHeader = header('sunset')
  const sunsetMs = sunsetHeader ? Date.parse(sunsetHeader) : Number.NaN
  return {
    warning,
    status: m?.[2] === 'decommissioned' ? 'decommissioned' : 'deprecated',
    ...(m?.[1] ? { endpoint: m[1] } : {}),
    ...(m?.[3] ? { replacement: m[3] } : {}),
    ...(m?.[4] ? { notice: m[4] } : {}),
    ...(Number.isFinite(sunsetMs) ? { sunset: new Date(sunsetMs).toISOString() } : {}),
  }
}

/** One line for people: `deprecated since 2021-04-16 → List Item v4 (/list/v4/items)`. */
export function describeLifecycle(lifecycle: Lifecycle): string {
  if (lifecycle.status === 'active') return 'active'
  const since =
    lifecycle.status === 'decommissioned'
      ? ` ${lifecycle.decommissioned}`
      : lifecycle.deprecated
        ? ` since ${lifecycle.deprecated}`
        : ''
  const to = lifecycle.replacement ? ` → ${lifecycle.replacement.api} (${lifecycle.replacement.path})` : ''
  return `${lifecycle.status}${since}${to}`
}
