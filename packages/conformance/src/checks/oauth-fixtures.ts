/** Fixtures and sign-ins the OAuth2 checks share. */
import type { FixtureCompany, TargetContext } from '../context.js'
import { expectTokenResponse, tokenRequest } from '../oauth.js'
import { fail } from '../types.js'

export function company(t: TargetContext, i: number): FixtureCompany {
  const c = t.fixtures?.companies[i]
  if (!c) fail(`the mock has no company ${i}`)
  return c
}

export function appOf(c: FixtureCompany, i: number) {
  const a = c.apps[i]
  if (!a) fail(`company ${c.id} has no app ${i}`)
  return a
}

export function userOf(c: FixtureCompany, i: number) {
  const u = c.users[i]
  if (!u) fail(`company ${c.id} has no user ${i}`)
  return u
}

/** A fresh password grant for user `i` of the first company with its full app (not the shared session). */
export async function signInFresh(t: TargetContext, i: number) {
  const c = company(t, 0)
  const u = userOf(c, i)
  const form = { client_id: appOf(c, 0).clientId, client_secret: appOf(c, 0).clientSecret }
  const tokens = expectTokenResponse(
    await tokenRequest(t, c.baseUrl, {
      ...form,
      grant_type: 'password',
      username: u.loginId,
      password: u.password,
    }),
    'password grant',
    t,
  )
  return { form, tokens }
}
/** A fresh password grant of the credentials' own user (not the shared session). */
export async function signInMain(t: TargetContext) {
  const form = { client_id: t.credentials.clientId, client_secret: t.credentials.clientSecret }
  const tokens = expectTokenResponse(
    await tokenRequest(t, t.baseUrl, { ...main(t), grant_type: 'password' }),
    'password grant',
    t,
  )
  return { form, tokens }
}

/**
 * Why the datacenter checks cannot run against this remote target, if they cannot: its base URL is
 * none of the datacenters the run knows (Concur's published ones unless the target names its own).
 */
export function unknownDatacenters(t: TargetContext): string | undefined {
  if (t.fixtures || Object.values(t.datacenters).includes(t.baseUrl)) return undefined
  return `${t.baseUrl} is none of the datacenters this run knows (${Object.keys(t.datacenters).join(', ')}); name the target's datacenters (runConformance target.datacenters) to run it`
}

/** A datacenter other than `geolocation`: `[name, base URL]`. */
export function otherDatacenter(t: TargetContext, geolocation: string): [string, string] {
  const other = Object.entries(t.datacenters).find(([, url]) => url !== geolocation)
  if (!other) fail(`no datacenter other than ${geolocation} is known`)
  return other
}

export function main(t: TargetContext): Record<string, string | undefined> {
  return {
    client_id: t.credentials.clientId,
    client_secret: t.credentials.clientSecret,
    username: t.credentials.username,
    password: t.credentials.password,
  }
}
