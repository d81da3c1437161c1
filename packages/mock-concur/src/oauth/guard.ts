import type { MiddlewareHandler } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import type { Principal } from '../principal.js'

/** Reads the bearer token (`Bearer` or the pre-2017 `OAuth` scheme). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

/**
 * Verifies the access token and sets `c.var.principal`. Missing header → 401; invalid, expired,
 * revoked, wrong-datacenter or missing-scope tokens → 403, as Concur's web services answer.
 *
 * @example
 * app.get('/api/v3.0/expense/reports', requireToken(ctx, 'EXPRPT'), handler)
 */
export function requireToken(ctx: DcContext, scope?: string): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const token = bearerToken(requestHeader(c, 'authorization'))
    if (!token) throw new ConcurHttpError(401, 'Authorization header missing or malformed')
    const result = await ctx.state.tokens.verify(token)
    if (!result.ok) {
      const why = {
        malformed: 'Invalid token',
        'bad-signature': 'Invalid token',
        expired: 'Token expired',
        'not-yet-valid': 'Token not yet valid',
        revoked: 'Token revoked',
      }[result.reason]
      throw new ConcurHttpError(403, `Forbidden Request: ${why}`)
    }
    const { claims } = result
    if (claims['concur.type'] === 'app') {
      throw new ConcurHttpError(403, 'Forbidden Request: an application token cannot read company data')
    }
    const company = ctx.state.company(claims['concur.company'])
    if (!company) throw new ConcurHttpError(403, 'Forbidden Request: Invalid token')
    if (company.datacenter !== ctx.datacenter) {
      throw new ConcurHttpError(
        403,
        `Forbidden Request: this token belongs to datacenter ${ctx.state.baseUrl(company.datacenter)}; call its geolocation`,
      )
    }
    const user =
      claims['concur.type'] === 'user' && typeof claims['concur.user'] === 'number'
        ? ctx.state.user(company, claims['concur.user'])
        : undefined
    if (claims['concur.type'] === 'user' && !user)
      throw new ConcurHttpError(403, 'Forbidden Request: Invalid token')
    const scopes = new Set(claims['https://api.concursolutions.com/scopes'])
    if (scope && !scopes.has(scope)) {
      throw new ConcurHttpError(403, `Forbidden Request: the token lacks the ${scope} scope`)
    }
    const principal: Principal = {
      type: claims['concur.type'] === 'company' ? 'company' : 'user',
      company,
      ...(user ? { user } : {}),
      clientId: claims['https://api.concursolutions.com/app'],
      scopes,
      isAdmin: claims['concur.type'] === 'company' || (user?.roles.includes('WebServicesAdmin') ?? false),
      datacenter: company.datacenter,
      tokenId: claims.jti,
    }
    c.set('principal', principal)
    await next()
  }
}
