import { OAUTH_ERRORS, OAuthErrorBody } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConcurHttpError } from '../http/errors.js'
import { createMockConcur } from '../mock.js'
import { homeOf, passwordFields, postToken } from './__tests__/helpers.js'
import { formFields, parseForm, tokenRequest } from './validate.js'

const mock = createMockConcur()
const c = mock.state.companies[0]!
const home = homeOf(mock, c)
const app = c.apps[0]!
const client = { client_id: app.clientId, client_secret: app.clientSecret }

async function codeOf(fields: Record<string, string>, path = '/oauth2/v0/token'): Promise<number> {
  const res = await mock.fetch(`${home}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  const body = OAuthErrorBody.parse(await res.json())
  expect(res.status).toBe(OAUTH_ERRORS[body.code]?.status ?? 400)
  return body.code
}

describe('token forms are validated with the contract schemas, answering Concur’s codes in its order', () => {
  it('the client is checked before the grant type, the grant type before the grant’s fields', async () => {
    expect(await codeOf({ grant_type: 'nope' })).toBe(62)
    expect(await codeOf({ client_id: app.clientId, grant_type: 'nope' })).toBe(63)
    expect(await codeOf({ client_id: 'unknown', client_secret: 'x' })).toBe(61)
    expect(await codeOf({ ...client, client_secret: 'wrong' })).toBe(64)
    expect(await codeOf({ ...client })).toBe(65)
    expect(await codeOf({ ...client, grant_type: 'implicit', username: '' })).toBe(60)
  })

  it('password grant: credtype, then username, then password; an empty field counts as missing', async () => {
    const base = { ...client, grant_type: 'password' }
    expect(await codeOf({ ...base, credtype: 'magic' })).toBe(120)
    expect(await codeOf({ ...base, username: '', password: 'x' })).toBe(51)
    expect(await codeOf({ ...base, username: 'someone' })).toBe(52)
    // an empty credtype is the default (password): the user is then unknown (5)
    expect(await codeOf({ ...base, credtype: '', username: 'nobody@x', password: 'x' })).toBe(5)
  })

  it('refresh, authorization_code and otp grants answer their missing-field codes', async () => {
    expect(await codeOf({ ...client, grant_type: 'refresh_token' })).toBe(106)
    expect(await codeOf({ ...client, grant_type: 'authorization_code' })).toBe(101)
    expect(await codeOf({ ...client, grant_type: 'authorization_code', code: 'c' })).toBe(102)
    const otp = { ...client, grant_type: 'otp' }
    expect(await codeOf(otp)).toBe(58)
    expect(await codeOf({ ...otp, channel_handle: 'a@b.c' })).toBe(57)
    expect(await codeOf({ ...otp, channel_handle: 'a@b.c', channel_type: 'sms' })).toBe(80)
    expect(await codeOf({ ...otp, channel_handle: 'a@b.c', channel_type: 'email' })).toBe(56)
  })

  it('POST /oauth2/v0/otp: the channel type (57, 80) before the handle (58)', async () => {
    const path = '/oauth2/v0/otp'
    expect(await codeOf({}, path)).toBe(62)
    expect(await codeOf({ ...client }, path)).toBe(57)
    expect(await codeOf({ ...client, channel_type: 'sms' }, path)).toBe(80)
    expect(await codeOf({ ...client, channel_type: 'email' }, path)).toBe(58)
    expect(await codeOf({ ...client, channel_type: 'email', channel_handle: 'no-at' }, path)).toBe(81)
  })

  it('a valid form still gets a token', async () => {
    expect((await postToken(mock, passwordFields(c), home)).status).toBe(200)
  })
})

describe('formFields / parseForm', () => {
  it('takes the first non-empty value of a field and the client from HTTP Basic when the form has none', () => {
    const form = new URLSearchParams('grant_type=password&grant_type=otp&client_id=&scope=')
    expect(formFields(form, { clientId: 'id', clientSecret: 's' })).toEqual({
      grant_type: 'password',
      client_id: 'id',
      client_secret: 's',
    })
    expect(
      formFields(new URLSearchParams('client_id=form'), { clientId: 'basic', clientSecret: 's' }),
    ).toEqual({
      client_id: 'form',
      client_secret: 's',
    })
  })

  it('returns the typed request the contract schema outputs', () => {
    const req = tokenRequest({ ...client, grant_type: 'refresh_token', refresh_token: 'r' })
    expect(req).toEqual({ ...client, grant_type: 'refresh_token', refresh_token: 'r' })
  })

  it('a field Concur has no code for is a 400 with code 0 naming the field, not a crash', () => {
    const schema = z.object({ size: z.string().regex(/^\d+$/) })
    let error: unknown
    try {
      parseForm(schema, { size: 'ten' }, [])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConcurHttpError)
    expect((error as ConcurHttpError).status).toBe(400)
    expect((error as ConcurHttpError).oauthCode).toBe(0)
    expect((error as ConcurHttpError).concurMessage).toMatch(/^size: /)
  })
})
