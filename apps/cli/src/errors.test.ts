import { ConcurAuthError, ConcurNetworkError } from '@concurkit/auth'
import { ConcurClientError, ConcurRequestError } from '@concurkit/client'
import { ConcurkitError, ERROR_CODES, type ErrorCode } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { CliError, EXIT, EXIT_CODE_OF, exitCodeOf } from './errors.ts'

describe('exit codes', () => {
  it('the table decides every concurkit error code, and nothing else', () => {
    expect(Object.keys(EXIT_CODE_OF).sort()).toEqual([...ERROR_CODES].sort())
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
  })

  it('every code exits as its table says (a store error is an auth error, not a network one)', () => {
    for (const code of ERROR_CODES) {
      if (code === 'CONCUR_HTTP_ERROR') continue // decided by status, below
      expect([code, exitCodeOf(new ConcurkitError(code, 'x'))]).toEqual([code, EXIT_CODE_OF[code]])
    }
    expect(exitCodeOf(new ConcurAuthError('CONCUR_STORE_ERROR', 'token file is corrupt'))).toBe(EXIT.AUTH)
    expect(exitCodeOf(new ConcurNetworkError('CONCUR_TIMEOUT', 'slow'))).toBe(EXIT.NETWORK)
    expect(exitCodeOf(new ConcurClientError('CONCUR_INVALID_ARGUMENT', 'bad filter'))).toBe(EXIT.USAGE)
  })

  it('an HTTP error is an auth error on 401/403 and a target error otherwise', () => {
    const http = (status: number) =>
      new ConcurRequestError('CONCUR_HTTP_ERROR', {
        request: { method: 'GET', path: '/x', query: {} },
        status,
      })
    expect(exitCodeOf(http(401))).toBe(EXIT.AUTH)
    expect(exitCodeOf(http(403))).toBe(EXIT.AUTH)
    expect(exitCodeOf(http(404))).toBe(EXIT.NETWORK)
    expect(EXIT_CODE_OF.CONCUR_HTTP_ERROR).toBe(EXIT.NETWORK)
  })

  it('socket errors, commander errors, causes and CliError', () => {
    expect(exitCodeOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(EXIT.NETWORK)
    expect(exitCodeOf(Object.assign(new Error('x'), { code: 'commander.unknownOption' }))).toBe(EXIT.USAGE)
    const wrapped = new Error('extract failed', { cause: new ConcurAuthError('CONCUR_REFRESH_EXPIRED', 'x') })
    expect(exitCodeOf(wrapped)).toBe(EXIT.AUTH)
    expect(exitCodeOf(new CliError('x', EXIT.CHECKS_FAILED))).toBe(EXIT.CHECKS_FAILED)
    expect(exitCodeOf(new Error('anything else'))).toBe(EXIT.NETWORK)
  })

  it('every package error is a ConcurkitError with its own instanceof kept', () => {
    const auth = new ConcurAuthError('CONCUR_STORE_ERROR', 'x', { cause: new Error('EIO') })
    const client = new ConcurClientError('CONCUR_ABORTED', 'x')
    expect(auth).toBeInstanceOf(ConcurkitError)
    expect(client).toBeInstanceOf(ConcurkitError)
    expect(auth).toBeInstanceOf(ConcurAuthError)
    expect(client).not.toBeInstanceOf(ConcurAuthError)
    expect(auth).not.toBeInstanceOf(ConcurClientError)
    expect(ConcurClientError.is(auth)).toBe(false)
    expect((auth.cause as Error).message).toBe('EIO')
    const codes: readonly ErrorCode[] = [auth.code, client.code]
    expect(codes).toEqual(['CONCUR_STORE_ERROR', 'CONCUR_ABORTED'])
  })
})
