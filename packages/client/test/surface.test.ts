import { describe, expect, it } from 'vitest'
import * as client from '../src/index.ts'

describe('public surface', () => {
  it('exports what a user calls, and no internals (paging, parsing, retry tables, limiters)', () => {
    expect(Object.keys(client).sort()).toEqual([
      'CLIENT_ERROR_CODES',
      'Checkpoint',
      'ConcurClientError',
      'ConcurRequestError',
      'SyncCursor',
      'WEBHOOK_ATTEMPT_HEADER',
      'WEBHOOK_EVENT_ID_HEADER',
      'WEBHOOK_SIGNATURE_HEADER',
      'WEBHOOK_SIGNATURE_REASONS',
      'WebhookAttemptError',
      'WebhookDeliveryError',
      'buildQuery',
      'changeEventId',
      'changesSince',
      'createConcurClient',
      'createEncoder',
      'deliverEvents',
      'deliverWebhooks',
      'dropNulls',
      'extract',
      'fileCursorStore',
      'flattenCustomFields',
      'memoryCursorStore',
      'parseDuration',
      'resolveDate',
      'signWebhook',
      'staticToken',
      'syncResource',
      'verifyWebhookSignature',
      'watch',
    ])
  })
})
