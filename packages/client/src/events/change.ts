import type { EventEnvelope } from '@concurkit/contract'
import type { ChangeEvent, ChangeType } from '../watch.js'

/** The registry resource of a topic, where one exists (so polling and ESS name it alike). */
const RESOURCE_OF_TOPIC: Readonly<Record<string, string>> = {
  'public.concur.expense.report': 'expense-reports',
  'concur.expense.report': 'expense-reports',
  'public.concur.travel.itinerary': 'travel-itineraries',
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)

/**
 * An ESS event as the change event `watch` emits (`{id, type, resource, objectId, objectUri,
 * record, occurredAt}`), so one receiver handles polling and ESS alike: `id` = the event id,
 * `type` from the event type (`…Created` → created, `…Deleted`/`…Anonymized` → deleted, else
 * updated), `record` = the whole envelope.
 *
 * @example
 * process.stdout.write(`${JSON.stringify(toChangeEvent(event))}\n`)
 */
export function toChangeEvent(event: EventEnvelope): ChangeEvent<EventEnvelope> {
  const facts = event.facts as Record<string, unknown>
  const t = event.eventType.toLowerCase()
  const type: ChangeType = /created$/.test(t)
    ? 'created'
    : /(deleted|anonymized)$/.test(t)
      ? 'deleted'
      : 'updated'
  const hrefs = facts.hrefs as Record<string, unknown> | undefined
  return {
    id: event.id,
    type,
    resource: RESOURCE_OF_TOPIC[event.topic] ?? event.topic,
    objectId: str(facts.reportId) ?? str(facts.id) ?? str(facts.provisionId) ?? str(facts.userId) ?? event.id,
    objectUri:
      str(facts.href) ?? str(hrefs?.v4) ?? str(facts.userHref) ?? str(facts.provisionStatusHref) ?? '',
    record: event,
    occurredAt: event.timeStamp,
  }
}
