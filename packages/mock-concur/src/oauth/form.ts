import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
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

/** Refuses bodies over {@link MAX_FORM_BYTES} with 413 before they are buffered. */
export function formLimit(): MiddlewareHandler<MockEnv> {
  return bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () => {
      throw malformed(413, `request body exceeds ${MAX_FORM_BYTES} bytes`)
    },
  })
}

const BAD_PERCENT = /%(?![0-9a-fA-F]{2})/

/**
 * Reads an `application/x-www-form-urlencoded` body. An empty body without a content type reads as an
 * empty form (so the missing-field codes answer); any other content type, invalid UTF-8 or a broken
 * percent escape is a 400 with Concur's OAuth2 body.
 */
export async function readForm(c: Context<MockEnv>): Promise<URLSearchParams> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.byteLength > MAX_FORM_BYTES) throw malformed(413, `request body exceeds ${MAX_FORM_BYTES} bytes`)
  if (type !== 'application/x-www-form-urlencoded') {
    if (type === '' && bytes.byteLength === 0) return new URLSearchParams()
    throw malformed(400, 'Content-Type must be application/x-www-form-urlencoded')
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
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
