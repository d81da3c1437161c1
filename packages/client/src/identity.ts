import {
  IdentityListResponseV41,
  type IdentitySearchRequest,
  IdentityUser,
  SCIM_SEARCH_REQUEST,
} from '@concurkit/contract'
import type { Dispatcher } from 'undici'
import { CLIENT_ERROR_CODES, ConcurClientError } from './errors.js'
import { createTransport, type HttpLayerOptions, type RetryOptions, type TokenSource } from './http.js'
import { parseBody } from './parse-body.js'
import { requireCompanyToken } from './token-kind.js'

const BASE = 'profile/identity/v4.1'

/** Options of `createIdentityClient`. */
export interface IdentityClientOptions {
  /**
   * A source of **company-level** access tokens (`@concurkit/auth`'s token manager for the
   * `credtype=authtoken` password grant, or `staticToken(companyJwt, geolocation)`).
   */
  auth: TokenSource
  /** Base URL override; default the token's geolocation. */
  baseUrl?: string
  http?: HttpLayerOptions
  /** An undici dispatcher to send through (never closed by the client). */
  dispatcher?: Dispatcher
  retry?: RetryOptions
  /** Aborts every request of this client. */
  signal?: AbortSignal
}

/** What to read: `attributes` (only those, plus `id`) or `excludedAttributes`; `count` per page (1–1000). */
export interface IdentityReadOptions {
  attributes?: readonly string[]
  excludedAttributes?: readonly string[]
  /** Users per page, 1–1000 (Concur's default 100). */
  count?: number
  signal?: AbortSignal
}

/** Options of `searchUsers`: a SCIM filter (`userName eq "a@b.c"`, `emails[type eq "work"]` …). */
export interface IdentitySearchOptions extends IdentityReadOptions {
  filter?: string
}

/** One page of a cursor walk. */
export interface IdentityPage {
  readonly users: IdentityUser[]
  readonly totalResults: number
  /** The cursor of the next page; absent on the last page. */
  readonly nextCursor?: string
}

/** Identity v4.1 reads (SCIM 2.0 Users) with a company token. */
export interface IdentityClient {
  /** Every user of the company (`GET /Users`, cursor paging). */
  listUsers(options?: IdentityReadOptions): AsyncIterable<IdentityUser>
  /** The users a filter selects (`POST /Users/.search`, cursor paging). */
  searchUsers(options?: IdentitySearchOptions): AsyncIterable<IdentityUser>
  /** The pages of a search, for callers that keep the cursor. */
  searchPages(options?: IdentitySearchOptions): AsyncIterable<IdentityPage>
  /** One user by Identity id (the UUID that is a user token's `sub`). */
  getUser(id: string, options?: IdentityReadOptions): Promise<IdentityUser>
  /** Closes the client's own dispatcher. */
  close(): Promise<void>
}

/**
 * Identity v4.1 reads with a company token: users as an async iterable over `nextCursor` pages.
 * A user token is refused before any request, with an error naming its kind (Identity accepts
 * company-level tokens only).
 *
 * @example
 * const identity = createIdentityClient({ auth: staticToken(companyJwt, geolocation) })
 * for await (const user of identity.searchUsers({ filter: 'active eq true', attributes: ['userName'] })) console.log(user.userName)
 * await identity.close()
 * @see https://developer.concur.com/api-reference/profile/v4.1.identity.html
 */
export function createIdentityClient(options: IdentityClientOptions): IdentityClient {
  const transport = createTransport(options)

  const checkToken = (signal: AbortSignal | undefined) =>
    requireCompanyToken(options.auth, 'Identity v4.1', signal)

  const checkCount = (count: number | undefined) => {
    if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 1000))
      throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, 'count must be an integer 1..1000')
  }

  const list = (values: readonly string[] | undefined) =>
    values && values.length > 0 ? values.join(',') : undefined

  async function* pages(
    mode: 'list' | 'search',
    o: IdentitySearchOptions,
  ): AsyncGenerator<IdentityPage, void, undefined> {
    checkCount(o.count)
    await checkToken(o.signal)
    let cursor: string | undefined
    const seen = new Set<string>()
    for (;;) {
      const signal = o.signal ? { signal: o.signal } : {}
      const page =
        mode === 'list'
          ? await transport.send(
              {
                url: `${BASE}/Users`,
                accept: 'application/json',
                query: {
                  attributes: list(o.attributes),
                  excludedAttributes: list(o.excludedAttributes),
                  count: o.count === undefined ? undefined : String(o.count),
                  cursor,
                },
                ...signal,
              },
              (res) => parseBody(IdentityListResponseV41, res, 'Identity user list'),
            )
          : await transport.send(
              {
                method: 'POST',
                url: `${BASE}/Users/.search`,
                accept: 'application/json',
                contentType: 'application/json',
                body: JSON.stringify({
                  schemas: [SCIM_SEARCH_REQUEST],
                  ...(o.filter === undefined ? {} : { filter: o.filter }),
                  ...(o.attributes ? { attributes: [...o.attributes] } : {}),
                  ...(o.excludedAttributes ? { excludedAttributes: [...o.excludedAttributes] } : {}),
                  ...(o.count === undefined ? {} : { count: o.count }),
                  ...(cursor === undefined ? {} : { cursor }),
                } satisfies IdentitySearchRequest),
                ...signal,
              },
              (res) => parseBody(IdentityListResponseV41, res, 'Identity search'),
            )
      yield {
        users: page.Resources,
        totalResults: page.totalResults,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      }
      if (!page.nextCursor || page.Resources.length === 0) return
      // A cursor that repeats would loop forever: stop with an error instead.
      if (seen.has(page.nextCursor))
        throw new ConcurClientError(
          CLIENT_ERROR_CODES.INVALID_RESPONSE,
          'Identity returned the same nextCursor twice',
        )
      seen.add(page.nextCursor)
      cursor = page.nextCursor
    }
  }

  async function* users(mode: 'list' | 'search', o: IdentitySearchOptions): AsyncGenerator<IdentityUser> {
    for await (const page of pages(mode, o)) yield* page.users
  }

  return {
    listUsers: (o = {}) => users('list', o),
    searchUsers: (o = {}) => users('search', o),
    searchPages: (o = {}) => pages('search', o),
    async getUser(id, o = {}) {
      if (!/^[0-9a-fA-F-]{1,64}$/.test(id))
        throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, `"${id}" is not an Identity user id`)
      await checkToken(o.signal)
      return transport.send(
        {
          url: `${BASE}/Users/${id}`,
          accept: 'application/json',
          query: { attributes: list(o.attributes), excludedAttributes: list(o.excludedAttributes) },
          ...(o.signal ? { signal: o.signal } : {}),
        },
        (res) => parseBody(IdentityUser, res, 'Identity user'),
      )
    },
    close: () => transport.close(),
  }
}
