import type { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurRequestError, describeRequest } from './errors.js'
import type { RawResponse } from './http.js'

/** Parses a JSON answer with a contract schema; a body that is not JSON or not of the shape is `CONCUR_INVALID_RESPONSE` naming the request. */
export function parseBody<T extends z.ZodType>(schema: T, res: RawResponse, what: string): z.infer<T> {
  let json: unknown
  try {
    json = JSON.parse(res.body.toString('utf8'))
  } catch (err) {
    throw new ConcurRequestError(
      CLIENT_ERROR_CODES.INVALID_RESPONSE,
      {
        request: describeRequest('GET', res.url),
        status: res.status,
        reason: `${what}: the body is not JSON`,
      },
      { cause: err },
    )
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success)
    throw new ConcurRequestError(CLIENT_ERROR_CODES.INVALID_RESPONSE, {
      request: describeRequest('GET', res.url),
      status: res.status,
      reason: `${what}: unexpected body shape`,
    })
  return parsed.data
}
