import { z } from 'zod'

/** The names of SAP Concur's production and implementation datacenters. */
export const DatacenterName = z.enum([
  'us',
  'us2',
  'emea',
  'eu',
  'eu2',
  'cn',
  'usg',
  'us-impl',
  'emea-impl',
  'glz',
])
export type DatacenterName = z.infer<typeof DatacenterName>

/** One datacenter: where its server-side API lives and its `www-` twin (browser-facing, no client certs). */
export interface Datacenter {
  readonly name: DatacenterName
  readonly title: string
  /** Base URI for API calls and token grants, e.g. `https://us.api.concursolutions.com`. */
  readonly baseUrl: string
  /** The `www-` twin, used for `/oauth2/v0/authorize` and JWKS. */
  readonly wwwUrl: string
  /**
   * The Global Landing Zone: a token host only. No company lives there; the token response's
   * `geolocation` names the company's datacenter, where every other call goes.
   */
  readonly landingZone?: true
}

/**
 * SAP Concur's datacenters (base URIs), as documented on the platform "Base URIs" page.
 *
 * @example
 * DATACENTERS.us.baseUrl // 'https://us.api.concursolutions.com'
 */
export const DATACENTERS: Readonly<Record<DatacenterName, Datacenter>> = Object.freeze({
  us: {
    name: 'us',
    title: 'US',
    baseUrl: 'https://us.api.concursolutions.com',
    wwwUrl: 'https://www-us.api.concursolutions.com',
  },
  us2: {
    name: 'us2',
    title: 'US2',
    baseUrl: 'https://us2.api.concursolutions.com',
    wwwUrl: 'https://www-us2.api.concursolutions.com',
  },
  emea: {
    name: 'emea',
    title: 'EMEA',
    baseUrl: 'https://emea.api.concursolutions.com',
    wwwUrl: 'https://www-emea.api.concursolutions.com',
  },
  eu: {
    name: 'eu',
    title: 'EU (same as EMEA)',
    baseUrl: 'https://eu.api.concursolutions.com',
    wwwUrl: 'https://www-eu.api.concursolutions.com',
  },
  eu2: {
    name: 'eu2',
    title: 'EU2',
    baseUrl: 'https://eu2.api.concursolutions.com',
    wwwUrl: 'https://www-eu2.api.concursolutions.com',
  },
  cn: {
    name: 'cn',
    title: 'China',
    baseUrl: 'https://cn.api.concurcdc.cn',
    wwwUrl: 'https://www-cn.api.concurcdc.cn',
  },
  usg: {
    name: 'usg',
    title: 'PSCC (US government)',
    baseUrl: 'https://usg.api.concursolutions.com',
    wwwUrl: 'https://www-usg.api.concursolutions.com',
  },
  'us-impl': {
    name: 'us-impl',
    title: 'US implementation',
    baseUrl: 'https://us-impl.api.concursolutions.com',
    wwwUrl: 'https://www-us-impl.api.concursolutions.com',
  },
  'emea-impl': {
    name: 'emea-impl',
    title: 'EMEA implementation',
    baseUrl: 'https://emea-impl.api.concursolutions.com',
    wwwUrl: 'https://www-emea-impl.api.concursolutions.com',
  },
  glz: {
    name: 'glz',
    title: 'Global Landing Zone (token requests)',
    baseUrl: 'https://glz.api.concursolutions.com',
    wwwUrl: 'https://www-glz.api.concursolutions.com',
    landingZone: true,
  },
})

/**
 * Where Concur says each grant obtains a NEW token ("Base URIs for Obtaining a Token"): the
 * authorization code grant and the company request token (`credtype=authtoken`) at the Global
 * Landing Zone; the password and one-time-password grants at the user's datacenter; client
 * credentials at any production host. Refreshes and every other call go to the token's
 * `geolocation`.
 *
 * @example
 * TOKEN_HOSTS.companyRequestToken // 'glz'
 * @see https://developer.concur.com/api-reference/authentication/apidoc.html
 */
export const TOKEN_HOSTS = Object.freeze({
  authorizationCode: 'glz',
  companyRequestToken: 'glz',
  password: 'user',
  otp: 'user',
  clientCredentials: 'any',
} as const satisfies Record<string, 'glz' | 'user' | 'any'>)

/** Legacy (pre-2017) hosts; they still accept new tokens but not JWT calls. */
export const LEGACY_HOSTS = Object.freeze([
  'https://www.concursolutions.com',
  'https://eu1.concursolutions.com',
  'https://implementation.concursolutions.com',
  'https://eu1imp.concursolutions.com',
])

/**
 * Finds the datacenter a base URL belongs to (server-side or `www-` form), or `undefined`.
 *
 * @example
 * datacenterOf('https://www-eu2.api.concursolutions.com')?.name // 'eu2'
 */
export function datacenterOf(url: string): Datacenter | undefined {
  let origin: string
  try {
    origin = new URL(url).origin
  } catch {
    return undefined
  }
  return Object.values(DATACENTERS).find((dc) => dc.baseUrl === origin || dc.wwwUrl === origin)
}
