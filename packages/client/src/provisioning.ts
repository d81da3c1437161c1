import {
  SCIM_BULK_REQUEST,
  SCIM_PATCH_OP,
  type ScimPatchOperation,
  UPS_BULK_MAX_OPERATIONS,
  UpsBulkOperation,
  UpsProvisionStatus,
  UpsUserResponse,
  UpsUserWrite,
} from '@concurkit/contract'
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurClientError } from './errors.js'
import { createTransport, type HttpLayerOptions, type RetryOptions, type TokenSource } from './http.js'
import { parseBody } from './parse-body.js'
import { requireCompanyToken } from './token-kind.js'

const BASE = 'profile/v4'

/** Options of `createProvisioningClient`. */
export interface ProvisioningClientOptions {
  /** A source of **company-level** access tokens (UPS accepts no user tokens). */
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

/** Per-call options. */
export interface ProvisioningCallOptions {
  signal?: AbortSignal
}

/** Which part of a provision's status to read. */
export interface ProvisionStatusOptions extends ProvisioningCallOptions {
  /** Include the operations (`attributes=operations`). */
  operations?: boolean
  /** 1-based index of the first operation. */
  startIndex?: number
  /** Operations per answer. */
  count?: number
  /** Only the operations in this state. */
  state?: 'pending' | 'success' | 'failed'
}

/** How `waitForProvision` polls. */
export interface WaitForProvisionOptions extends ProvisionStatusOptions {
  /** First wait between polls, ms. Default 5 000 (Concur: "every 5+ seconds"). */
  intervalMs?: number
  /** Longest wait between polls (the wait doubles after each poll), ms. Default 60 000. */
  maxIntervalMs?: number
  /** Give up after this long, ms. Default 2 h 10 min (Concur fails a provision after 120 minutes). */
  timeoutMs?: number
  /** Called with every status read (for progress output). */
  onPoll?: (status: UpsProvisionStatus) => void
}

/** A bulk request: its operations (1–100) and `failOnErrors`. */
export interface BulkInput {
  operations: readonly UpsBulkOperation[]
  /** Stop after this many failed operations (the rest are not processed). */
  failOnErrors?: number
}

/** User Provisioning v4 with a company token. */
export interface ProvisioningClient {
  /** `POST /Users`: creates the user at once; its extensions complete asynchronously (see `meta.provisionId`). */
  createUser(user: UpsUserWrite, options?: ProvisioningCallOptions): Promise<UpsUserResponse>
  /** `PUT /Users/{id}`: full replace (omitted attributes are cleared). */
  replaceUser(id: string, user: UpsUserWrite, options?: ProvisioningCallOptions): Promise<UpsUserResponse>
  /** `PATCH /Users/{id}` with SCIM PatchOp operations (add / replace / remove). */
  patchUser(
    id: string,
    operations: readonly ScimPatchOperation[],
    options?: ProvisioningCallOptions,
  ): Promise<UpsUserResponse>
  /** `DELETE /Users/{id}` (users without transaction history only). */
  deleteUser(id: string, options?: ProvisioningCallOptions): Promise<void>
  /** `POST /Bulk` (1–100 operations): the pending provision. */
  bulk(input: BulkInput, options?: ProvisioningCallOptions): Promise<UpsProvisionStatus>
  /** `GET /provisions/{id}/status`. */
  provisionStatus(provisionId: string, options?: ProvisionStatusOptions): Promise<UpsProvisionStatus>
  /**
   * Polls a provision's status with exponential backoff until `status.completed`, and returns that
   * status (check `status.success`). Gives up with `CONCUR_ABORTED` after `timeoutMs` or on `signal`.
   */
  waitForProvision(provisionId: string, options?: WaitForProvisionOptions): Promise<UpsProvisionStatus>
  /** Closes the client's own dispatcher. */
  close(): Promise<void>
}

/** Validates a caller's argument against a contract schema (no value is echoed: only paths and rules). */
function checked<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value)
  if (!parsed.success)
    throw new ConcurClientError(
      CLIENT_ERROR_CODES.INVALID_ARGUMENT,
      `${what} is invalid: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; ')}`,
    )
  return parsed.data
}

const idPattern = /^[0-9A-Za-z-]{1,64}$/
function checkId(id: string, what: string): string {
  if (!idPattern.test(id))
    throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, `"${id}" is not a ${what} id`)
  return id
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * User Provisioning v4 (`/profile/v4`) with a company token: typed writes, bulk requests, and a
 * `waitForProvision` poll of the asynchronous provision status. Arguments are validated against the
 * contract schemas before any request; a user token is refused before any request.
 *
 * @example
 * const ups = createProvisioningClient({ auth: staticToken(companyJwt, geolocation) })
 * const user = await ups.createUser({ userName: 'jo@example.com', active: true, name: { givenName: 'Jo', familyName: 'Doe' }, emails: [{ value: 'jo@example.com' }] })
 * const done = await ups.waitForProvision(user.meta.provisionId)
 * if (!done.status.success) console.error('provision failed', done.id)
 * await ups.close()
 * @see https://developer.concur.com/api-reference/user-provisioning/v4.user-provisioning.html
 */
export function createProvisioningClient(options: ProvisioningClientOptions): ProvisioningClient {
  const transport = createTransport(options)

  const checkToken = (signal: AbortSignal | undefined) =>
    requireCompanyToken(options.auth, 'User Provisioning v4', signal)

  const write = async (
    method: 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    o: ProvisioningCallOptions,
  ): Promise<UpsUserResponse> => {
    await checkToken(o.signal)
    return transport.send(
      {
        method,
        url: `${BASE}${path}`,
        accept: 'application/json',
        contentType: 'application/json',
        body: JSON.stringify(body),
        ...(o.signal ? { signal: o.signal } : {}),
      },
      (res) => parseBody(UpsUserResponse, res, 'User Provisioning user'),
    )
  }

  const provisionStatus = async (provisionId: string, o: ProvisionStatusOptions = {}) => {
    checkId(provisionId, 'provision')
    await checkToken(o.signal)
    return transport.send(
      {
        url: `${BASE}/provisions/${provisionId}/status`,
        accept: 'application/json',
        query: {
          attributes: o.operations ? 'operations' : undefined,
          startIndex: o.startIndex === undefined ? undefined : String(o.startIndex),
          count: o.count === undefined ? undefined : String(o.count),
          state: o.state,
        },
        ...(o.signal ? { signal: o.signal } : {}),
      },
      (res) => parseBody(UpsProvisionStatus, res, 'Provision status'),
    )
  }

  return {
    // async: a bad argument is a rejected promise, like every other failure.
    createUser: async (user, o = {}) => write('POST', '/Users', checked(UpsUserWrite, user, 'user'), o),
    replaceUser: async (id, user, o = {}) =>
      write('PUT', `/Users/${checkId(id, 'user')}`, checked(UpsUserWrite, user, 'user'), o),
    patchUser: async (id, operations, o = {}) =>
      write(
        'PATCH',
        `/Users/${checkId(id, 'user')}`,
        { schemas: [SCIM_PATCH_OP], Operations: [...operations] },
        o,
      ),
    async deleteUser(id, o = {}) {
      checkId(id, 'user')
      await checkToken(o.signal)
      await transport.send(
        { method: 'DELETE', url: `${BASE}/Users/${id}`, ...(o.signal ? { signal: o.signal } : {}) },
        () => undefined,
      )
    },
    async bulk(input, o = {}) {
      const operations = checked(
        z.array(UpsBulkOperation).min(1).max(UPS_BULK_MAX_OPERATIONS),
        input.operations,
        'bulk operations',
      )
      await checkToken(o.signal)
      return transport.send(
        {
          method: 'POST',
          url: `${BASE}/Bulk`,
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify({
            schemas: [SCIM_BULK_REQUEST],
            ...(input.failOnErrors === undefined ? {} : { failOnErrors: input.failOnErrors }),
            Operations: operations,
          }),
          ...(o.signal ? { signal: o.signal } : {}),
        },
        (res) => parseBody(UpsProvisionStatus, res, 'Bulk provision'),
      )
    },
    provisionStatus,
    async waitForProvision(provisionId, o = {}) {
      const interval = o.intervalMs ?? 5_000
      const maxInterval = o.maxIntervalMs ?? 60_000
      const timeout = o.timeoutMs ?? 130 * 60_000
      for (const [k, v] of Object.entries({
        intervalMs: interval,
        maxIntervalMs: maxInterval,
        timeoutMs: timeout,
      }))
        if (!Number.isFinite(v) || v < 0)
          throw new ConcurClientError(
            CLIENT_ERROR_CODES.INVALID_ARGUMENT,
            `${k} must be a non-negative number`,
          )
      const deadline = AbortSignal.timeout(timeout)
      const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline
      let wait = interval
      for (;;) {
        let status: UpsProvisionStatus
        try {
          status = await provisionStatus(provisionId, { ...o, signal })
        } catch (err) {
          if (deadline.aborted && !o.signal?.aborted)
            throw new ConcurClientError(
              CLIENT_ERROR_CODES.ABORTED,
              `provision ${provisionId} did not complete within ${timeout} ms`,
              { cause: err },
            )
          throw err
        }
        o.onPoll?.(status)
        if (status.status.completed) return status
        try {
          await sleep(wait, signal)
        } catch (err) {
          throw new ConcurClientError(
            CLIENT_ERROR_CODES.ABORTED,
            deadline.aborted && !o.signal?.aborted
              ? `provision ${provisionId} did not complete within ${timeout} ms`
              : `waiting for provision ${provisionId} was aborted`,
            { cause: err },
          )
        }
        wait = Math.min(maxInterval, Math.max(1, wait * 2))
      }
    },
    close: () => transport.close(),
  }
}
