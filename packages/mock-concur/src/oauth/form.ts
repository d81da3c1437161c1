import type { Context } from 'hono'
import type { MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import { nodeBindings, requestHeader } from '../http/headers.js'
import type { BasicCredentials } from './grants.js'

/** The largest form body the OAuth2 endpoints read (64 KiB); larger bodies get 413. */
export const MAX_FORM_BYTES = 64 * 1024

/**
 * An OAuth2-family error Concur documents no code for (oversize body, wrong content type, broken
 * encoding): Concur's body shape with `code: 0` and a plain description.
 */
export function malformed(status: 400 | 401 | 403 | 413, message: string): ConcurHttpError {
  return new ConcurHttpError(status, message, { oauthCode: 0 })
}

/**
 * The request body, refused with 413 beyond `max` bytes: by `Content-Length` before anything is
 * read, else as the bytes arrive (the stream is cancelled). With a declared length on Node it reads
 * the socket's `IncomingMessage` directly (its length bounds it), which spares building a web
 * `Request` and stream per call: the token endpoint's hot path.
 */
async function readBody(c: Context<MockEnv>, max: number): Promise<Uint8Array> {
  const tooBig = () => malformed(413, `request body exceeds ${max} bytes`)
  const declared = requestHeader(c, 'content-length')
  const { incoming } = nodeBindings(c)
  if (declared !== undefined && /^\d+$/.test(declared.trim())) {
    if (Number(declared) > max) throw tooBig()
    if (incoming && !incoming.readableEnded) {
      const chunks: Buffer[] = []
      for await (const chunk of incoming) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks)
    }
  }
  const body = c.req.raw.body
  if (!body) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw tooBig()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

const BAD_PERCENT = /%(?![0-9a-fA-F]{2})/
/** Strict UTF-8 (one decoder for every form: `decode` without `stream` keeps no state between calls). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads an `application/x-www-form-urlencoded` body. An empty body without a content type reads as an
 * empty form (so the missing-field codes answer); any other content type, invalid UTF-8 or a broken
 * percent escape is a 400 with Concur's OAuth2 body.
 */
export async function readForm(c: Context<MockEnv>): Promise<URLSearchParams> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const bytes = await readBody(c, MAX_FORM_BYTES)
  if (type !== 'application/x-www-form-urlencoded') {
    if (type === '' && bytes.byteLength === 0) return new URLSearchParams()
    throw malformed(400, 'Content-Type must be application/x-www-form-urlencoded')
  }
  let text: string
  try {
    text = STRICT_UTF8.decode(bytes)
  } catch {
    throw malformed(400, 'request body is not valid UTF-8')
  }
  if (BAD_PERCENT.test(text)) throw malformed(400, 'request body is not valid form encoding')
  try {
    // Percent-decoding can still fail on escapes that form invalid UTF-8 (e.g. %FF).
    for (const part of text.split('&')) decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    throw malformed(400, 'request body is not valid form encoding')
  }
  return new URLSearchParams(text)
}

/** Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1: form-encoded id and secret). */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!m) return undefined
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    }
  } catch {
    return undefined
  }
}
