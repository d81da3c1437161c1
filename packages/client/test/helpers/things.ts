import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ResourceDefinition } from '@concurkit/contract'
import { defineResource } from '@concurkit/contract/internal'
import { z } from 'zod'

/** A v3-shaped test resource (registered under a real name so the client's typed paths apply). */
export const THINGS: ResourceDefinition = defineResource({
  name: 'expense-entries',
  title: 'Things',
  api: 'v3.0',
  path: '/api/v3.0/test/things',
  itemPath: '/api/v3.0/test/things/{id}',
  format: 'json+xml',
  paging: { kind: 'v3', defaultLimit: 25, maxLimit: 100 },
  scope: 'EXPRPT',
  item: z.looseObject({
    ID: z.string(),
    URI: z.string(),
    Name: z.string(),
    Amount: z.number(),
    CreateDate: z.string(),
    LastModifiedDate: z.string(),
    OwnerLoginID: z.string(),
    Custom1: z.looseObject({ Type: z.string(), Value: z.string().nullable() }).nullable(),
    Comment: z.string().nullable(),
  }),
  idField: 'ID',
  filters: [
    { param: 'createDateAfter', type: 'datetime', field: 'CreateDate', op: 'after', description: '' },
    { param: 'createDateBefore', type: 'datetime', field: 'CreateDate', op: 'before', description: '' },
    { param: 'modifiedDateAfter', type: 'datetime', field: 'LastModifiedDate', op: 'after', description: '' },
    {
      param: 'modifiedDateBefore',
      type: 'datetime',
      field: 'LastModifiedDate',
      op: 'before',
      description: '',
    },
    { param: 'hasVAT', type: 'boolean', description: '' },
  ],
  userParam: 'user',
  adminOnly: false,
  modifiedField: 'LastModifiedDate',
  modifiedFilter: { after: 'modifiedDateAfter', before: 'modifiedDateBefore' },
  writes: [],
  reference: 'test',
})

export interface Faults {
  p500?: number
  p429?: number
  pReset?: number
  pTruncate?: number
  /** A Concur throttling 400 body. */
  p400throttle?: number
  latencyMs?: number
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DAY = 86_400_000
const EPOCH = Date.UTC(2024, 0, 1)
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19)

export interface ThingsServer {
  url: string
  server: Server
  faults: Faults
  /** Requests served (after faults). */
  hits: { total: number; faulted: number }
  tokens: Set<string>
  /** Overlay: modified/added records. */
  modify(index: number, modified: string): void
  add(modified: string): string
  record(i: number): Record<string, unknown>
  count(): number
  close(): Promise<void>
}

/** A tiny Concur-like server for the client's own tests (real socket on 127.0.0.1). */
export async function startThings(
  count: number,
  options: { seed?: number; faults?: Faults } = {},
): Promise<ThingsServer> {
  const rng = mulberry32(options.seed ?? 7)
  const faults: Faults = options.faults ?? {}
  const hits = { total: 0, faulted: 0 }
  const tokens = new Set(['good'])
  const modified = new Map<number, string>()
  let total = count
  let url = ''
  const record = (i: number): Record<string, unknown> => ({
    ID: `T${String(i).padStart(7, '0')}`,
    URI: `${url}/api/v3.0/test/things/T${String(i).padStart(7, '0')}`,
    Name: `Thing ${i} "quoted", with comma`,
    Amount: Math.round(((i * 7919) % 100_000) + 0.25 * (i % 4)) / 100,
    CreateDate: iso(EPOCH + Math.floor((i * 365 * DAY) / Math.max(1, count))),
    LastModifiedDate:
      modified.get(i) ?? iso(EPOCH + Math.floor((i * 365 * DAY) / Math.max(1, count)) + 3_600_000),
    OwnerLoginID: `user${i % 5}@example.com`,
    Custom1: i % 3 === 0 ? null : { Type: 'Text', Value: `C${i}`, Code: null, ListItemID: null },
    Comment: i % 2 ? null : 'even',
  })
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'concur-correlationid': 'corr-1234',
      ...headers,
    })
    res.end(body)
  }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    hits.total += 1
    const u = new URL(req.url ?? '/', url)
    const auth = req.headers.authorization ?? ''
    if (!auth.startsWith('Bearer '))
      return send(
        res,
        401,
        JSON.stringify({ Error: { Message: 'Unauthorized', 'Server-Time': '', Id: 'E401' } }),
      )
    if (!tokens.has(auth.slice(7)))
      return send(
        res,
        403,
        JSON.stringify({ Error: { Message: 'Forbidden Request', 'Server-Time': '', Id: 'E403' } }),
      )
    const r = rng()
    let acc = 0
    const roll = (p = 0) => {
      acc += p
      return r < acc
    }
    if (roll(faults.p500)) {
      hits.faulted += 1
      return send(
        res,
        500,
        JSON.stringify({ Error: { Message: 'Internal error', 'Server-Time': '', Id: 'E500' } }),
      )
    }
    if (roll(faults.p429)) {
      hits.faulted += 1
      return send(res, 429, '', { 'retry-after': '1' })
    }
    if (roll(faults.p400throttle)) {
      hits.faulted += 1
      return send(
        res,
        400,
        JSON.stringify({
          Error: { Message: 'Request limit exceeded, try again later', 'Server-Time': '', Id: 'E400' },
        }),
      )
    }
    if (roll(faults.pReset)) {
      hits.faulted += 1
      req.socket.destroy()
      return
    }
    const truncated = roll(faults.pTruncate)
    if (truncated) hits.faulted += 1
    const m = /^\/api\/v3\.0\/test\/things(?:\/([^/]+))?$/.exec(u.pathname)
    if (!m)
      return send(
        res,
        404,
        JSON.stringify({ Error: { Message: 'Not Found', 'Server-Time': '', Id: 'E404' } }),
      )
    const respond = (body: string) => {
      if (!truncated) return send(res, 200, body)
      // Declares the full length, sends half, closes.
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      })
      res.write(body.slice(0, Math.floor(body.length / 2)))
      setImmediate(() => res.socket?.destroy())
    }
    const go = () => {
      if (m[1]) {
        const i = Number(m[1].slice(1))
        if (!(i >= 0 && i < total))
          return send(
            res,
            404,
            JSON.stringify({ Error: { Message: 'Not Found', 'Server-Time': '', Id: 'E404' } }),
          )
        return respond(JSON.stringify(record(i)))
      }
      const limit = Number(u.searchParams.get('limit') ?? 25)
      if (!(limit >= 1 && limit <= 100))
        return send(
          res,
          400,
          JSON.stringify({ Error: { Message: 'limit must be 1..100', 'Server-Time': '', Id: 'E400' } }),
        )
      const offset = Number(u.searchParams.get('offset') ?? 0)
      const p = u.searchParams
      const match = (rec: Record<string, unknown>) => {
        const user = p.get('user')
        if (user && user !== 'ALL' && rec.OwnerLoginID !== user) return false
        for (const [param, field, op] of [
          ['createDateAfter', 'CreateDate', 'ge'],
          ['createDateBefore', 'CreateDate', 'lt'],
          ['modifiedDateAfter', 'LastModifiedDate', 'ge'],
          ['modifiedDateBefore', 'LastModifiedDate', 'lt'],
        ] as const) {
          const v = p.get(param)
          if (!v) continue
          const a = String(rec[field])
          if (op === 'ge' ? a < v : a >= v) return false
        }
        return true
      }
      const items: unknown[] = []
      let i = offset
      for (; i < total && items.length < limit; i++) {
        const rec = record(i)
        if (match(rec)) items.push(rec)
      }
      let next: string | null = null
      if (i < total) {
        const n = new URL(u)
        n.searchParams.set('offset', String(i))
        next = n.href
      }
      respond(JSON.stringify({ Items: items, NextPage: next }))
    }
    if (faults.latencyMs) setTimeout(go, faults.latencyMs)
    else go()
  }
  const server = createServer(handle)
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    server,
    faults,
    hits,
    tokens,
    modify: (i, m) => {
      modified.set(i, m)
    },
    add: (m) => {
      const i = total++
      modified.set(i, m)
      return String(record(i).ID)
    },
    record,
    count: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
