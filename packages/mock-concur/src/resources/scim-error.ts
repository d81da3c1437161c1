import { SCIM_CONCUR_ERROR, SCIM_ERROR } from '@concurkit/contract'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ConcurHttpError } from '../http/errors.js'
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

const CODE_OF_STATUS: Record<number, string> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
}

/**
 * Renders any error as the SCIM error body (one place for Identity v4 and User Provisioning v4).
 * `spend`: the Spend User Retrieval body (`status` an integer, no Concur `messages[]`).
 */
export function scimError(c: Context, err: unknown, flavour: 'identity' | 'spend' = 'identity'): Response {
  let status: ContentfulStatusCode = 500
  let detail = 'Internal Server Error'
  let scimType: string | undefined
  let code = 'INTERNAL_ERROR'
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
    code = CODE_OF_STATUS[status] ?? 'INVALID_INPUT'
  }
  const message = wireText(detail)
  if (flavour === 'spend')
    return c.json(
      { schemas: [SCIM_ERROR], ...(scimType ? { scimType } : {}), detail: message, status },
      status,
    )
  return c.json(
    {
      schemas: [SCIM_ERROR, SCIM_CONCUR_ERROR],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail: message,
      [SCIM_CONCUR_ERROR]: { messages: [{ code, message, type: 'error' }] },
    },
    status,
  )
}
