import { constants, generateKeyPairSync, sign } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  EventEnvelope,
  factsSchemaOf,
  isRetriedStatus,
  SubscriptionList,
  SubscriptionPut,
  signConcurEvent,
  topicsForScopes,
  verifyConcurEventSignature,
} from './events.js'

const DIR = new URL('../../../fixtures/concur-examples-v4/', import.meta.url)
const read = (name: string) => readFileSync(new URL(name, DIR), 'utf8')

describe('ESS contract', () => {
  it('parses every strict-JSON documented event sample, envelope and facts', () => {
    const names = readdirSync(DIR).filter((n) => n.startsWith('event-') && n.endsWith('.json'))
    let parsed = 0
    for (const name of names) {
      let json: unknown
      try {
        json = JSON.parse(read(name))
      } catch {
        continue // published as invalid JSON (see the fixtures README)
      }
      const event = EventEnvelope.parse(json)
      const schema = factsSchemaOf(event.topic, event.eventType)
      expect(schema, name).toBeDefined()
      expect(schema!.safeParse(event.facts).success, name).toBe(true)
      parsed++
    }
    expect(parsed).toBeGreaterThanOrEqual(12)
  })

  it('accepts the documented subscription bodies', () => {
    expect(SubscriptionPut.parse(JSON.parse(read('ess-v4-subscription-put-request.json'))).id).toBe(
      'my-unique-subscription-id',
    )
    expect(SubscriptionList.parse(JSON.parse(read('ess-v4-subscriptions-list-response.json')))).toHaveLength(
      2,
    )
    expect(
      SubscriptionPut.safeParse({ id: 'Bad_Id', topic: 't', webHookConfig: { endpoint: 'https://x' } })
        .success,
    ).toBe(false)
  })

  it('lists topics only with events.topic.read and a topic scope', () => {
    expect(topicsForScopes(['events.topic.read'])).toEqual([])
    expect(topicsForScopes(['expense.report.read'])).toEqual([])
    expect(topicsForScopes(['events.topic.read', 'expense.report.readwrite'])).toEqual([
      'public.concur.expense.report',
    ])
  })

  it('retries 5xx, 401, 403, 429 and I/O errors only', () => {
    expect([500, 503, 401, 403, 429, 0].every(isRetriedStatus)).toBe(true)
    expect([200, 204, 400, 404, 409, 410, 422].some(isRetriedStatus)).toBe(false)
  })

  it('signs RSA-PSS over the raw body; verifies any salt length; refuses tampering and other keys', () => {
    const a = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const b = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const body = '{"id":"1","facts":{}}'
    const sig = signConcurEvent(body, a.privateKey)
    expect(verifyConcurEventSignature(body, sig, a.publicKey)).toBe(true)
    expect(verifyConcurEventSignature(Buffer.from(body), [sig], [b.publicKey, a.publicKey])).toBe(true)
    expect(verifyConcurEventSignature(`${body} `, sig, a.publicKey)).toBe(false)
    expect(verifyConcurEventSignature(body, sig, b.publicKey)).toBe(false)
    expect(verifyConcurEventSignature(body, undefined, a.publicKey)).toBe(false)
    expect(verifyConcurEventSignature(body, '%%%', a.publicKey)).toBe(false)
    // A signer using the digest length as salt (32) verifies too.
    const short = sign('sha256', Buffer.from(body), {
      key: a.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString('base64')
    expect(verifyConcurEventSignature(body, short, a.publicKey)).toBe(true)
    // Concur's published keys load as RSA public keys.
    const pem = read('ess-v4-signature-public-key-after-2025-10-22.pem')
    expect(verifyConcurEventSignature(body, sig, pem)).toBe(false)
    expect(() => verifyConcurEventSignature(body, sig, 'nope')).toThrow(TypeError)
  })
})
