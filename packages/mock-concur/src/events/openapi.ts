import { SubscriptionList, SubscriptionMessage, SubscriptionPut, TopicList } from '@concurkit/contract'
import type { z } from 'zod'
import { jsonSchemaOf } from '../openapi/family-schemas.js'

type Json = Record<string, unknown>

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => jsonSchemaOf(s, io)

const V4_ERROR = {
  description: 'Error (body undocumented by Concur; the mock answers the v4 error shape).',
  content: { 'application/json': { schema: { type: 'object' } } },
}

/**
 * The Event Subscription Service management paths for the OpenAPI document (reference §6.1): App JWT
 * with `events.topic.read` plus the topic's scope.
 */
export function essPaths(): Record<string, Record<string, Json>> {
  const tags = ['Event Subscription Service']
  const security = [{ bearer: [] }]
  const json = (s: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: schema(s) } },
  })
  const errors = { '400': V4_ERROR, '401': V4_ERROR, '403': V4_ERROR, '404': V4_ERROR }
  const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
  return {
    '/events/v4/topics': {
      get: {
        operationId: 'events.listTopics',
        summary: 'Topics the app may subscribe to (empty with events.topic.read alone)',
        tags,
        security,
        responses: { '200': json(TopicList, 'Topic names.'), ...errors },
      },
    },
    '/events/v4/subscriptions/webhook': {
      put: {
        operationId: 'events.saveSubscription',
        summary: 'Create or update (by id) a webhook subscription (at most 5 per app and datacenter)',
        tags,
        security,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schema(SubscriptionPut, 'input') } },
        },
        responses: { '200': json(SubscriptionMessage, '"Subscription \'…\' saved successfully"'), ...errors },
      },
    },
    '/events/v4/subscriptions': {
      get: {
        operationId: 'events.listSubscriptions',
        summary: "The app's subscriptions in this datacenter",
        tags,
        security,
        responses: { '200': json(SubscriptionList, 'Subscriptions.'), ...errors },
      },
    },
    '/events/v4/subscriptions/{id}': {
      get: {
        operationId: 'events.getSubscription',
        summary: 'One subscription (a one-element array, as the reference page shows)',
        tags,
        security,
        parameters: id,
        responses: { '200': json(SubscriptionList, 'The subscription.'), ...errors },
      },
      delete: {
        operationId: 'events.deleteSubscription',
        summary: 'Delete a subscription',
        tags,
        security,
        parameters: id,
        responses: {
          '200': json(SubscriptionMessage, '"Subscription \'…\' marked for deletion"'),
          ...errors,
        },
      },
    },
  }
}
