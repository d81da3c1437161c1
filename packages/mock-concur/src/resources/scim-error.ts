import { ERROR_FAMILIES } from '@concurkit/contract'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ConcurHttpError, sendErrorAnswer } from '../http/errors.js'
import { wireText } from '../http/text.js'
import { ScimFilterError } from './identity-filter.js'
import { ScimPathError } from './identity-users.js'

/** A SCIM error the Identity routes answer with (RFC 7644 §3.12 body plus Concur's `messages[]`). */
export class ScimHttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly scimType?: string,
    readonly code = 'INVALID_INPUT',
  ) {
    super(detail)
    this.name = 'ScimHttpError'
  }
}

/**
 * Renders any error as the SCIM error body (one place for Identity v4 and User Provisioning v4; the
 * contract's `scim` family). `spend`: the Spend User Retrieval body (`scim-spend`: `status` an
 * integer, no Concur `messages[]`).
 */
export function scimError(c: Context, err: unknown, flavour: 'identity' | 'spend' = 'identity'): Response {
  let status: ContentfulStatusCode = 500
  let detail = 'Internal Server Error'
  let scimType: string | undefined
  let code: string | undefined = 'INTERNAL_ERROR'
  if (err instanceof ScimHttpError) {
    ;({ status, detail, scimType, code } = err)
  } else if (err instanceof ScimFilterError) {
    status = 400
    detail = err.message
    scimType = 'invalidFilter'
    code = 'INVALID_INPUT'
  } else if (err instanceof ScimPathError) {
    status = 400
    detail = err.message
    scimType = 'invalidPath'
    code = 'INVALID_INPUT'
  } else if (err instanceof ConcurHttpError) {
    status = err.status as ContentfulStatusCode
    detail = err.concurMessage
    code = undefined
  }
  const answer = ERROR_FAMILIES[flavour === 'spend' ? 'scim-spend' : 'scim'].render({
    status,
    message: wireText(detail),
    id: '',
    nowMs: 0,
    path: '',
    ...(scimType ? { scimType } : {}),
    ...(code ? { code } : {}),
  })
  return sendErrorAnswer(c, status, answer)
}
