import {
  CardsV4AccountsBulk,
  CardsV4BulkAccepted,
  CardsV4BulkRequest,
  CardsV4Error,
  CardsV4TransactionPage,
  CardsV4TransactionsBulk,
  ItineraryV4Error,
  ItineraryV4Trip,
  ItineraryV4TripIdPage,
  LocalitiesV5AdminRegion,
  LocalitiesV5AdminRegions,
  LocalitiesV5Countries,
  LocalitiesV5Country,
  LocalitiesV5Location,
  LocalitiesV5Locations,
  LocalitiesV5Subdivision,
  LocalitiesV5Subdivisions,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../../openapi/family-schemas.js'

type Json = Record<string, unknown>

/** The Cards v4, Itinerary v4 and Localities v5 schemas, by OpenAPI component name. */
export const CARDS_ITINERARY_LOCALITIES_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  CardsV4TransactionPage,
  CardsV4TransactionsBulk,
  CardsV4AccountsBulk,
  CardsV4BulkAccepted,
  CardsV4BulkRequest,
  CardsV4Error,
  ItineraryV4TripIdPage,
  ItineraryV4Trip,
  ItineraryV4Error,
  LocalitiesV5Countries,
  LocalitiesV5Country,
  LocalitiesV5Subdivisions,
  LocalitiesV5Subdivision,
  LocalitiesV5AdminRegions,
  LocalitiesV5AdminRegion,
  LocalitiesV5Locations,
  LocalitiesV5Location,
}

const ref = componentRef(CARDS_ITINERARY_LOCALITIES_SCHEMAS, 'Cards, Itinerary and Localities')
const json = (s: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(s) } },
})
const q = (name: string, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  schema: { type: 'string' },
  description,
})
const p = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } })

/** The Cards v4, Itinerary v4 and Localities v5 paths for the OpenAPI document. */
export function cardsItineraryLocalitiesPaths(): {
  tags: Json[]
  paths: Record<string, Record<string, Json>>
} {
  const o = (tag: string, id: string, summary: string, scope: string, rest: Json) => ({
    operationId: id,
    summary,
    tags: [tag],
    security: [{ concurOAuth: [scope] }, { bearer: [] }],
    ...rest,
  })
  const cardsErr = json(CardsV4Error, 'Cards v4 error body: an array of ErrorResponseV4.')
  const cardsErrors = { '400': cardsErr, '401': cardsErr, '403': cardsErr, '404': cardsErr }
  const itinErr = json(ItineraryV4Error, 'Itinerary v4 ErrorAPIResponse.')
  const bulkBody = (s: z.ZodType) => ({ required: true, content: { 'application/json': { schema: ref(s) } } })
  const C = 'Cards v4'
  const I = 'Itinerary v4'
  const L = 'Localities v5'
  const loc = (id: string, summary: string, s: z.ZodType, parameters: Json[]) => ({
    get: o(L, `localitiesV5.${id}`, summary, 'locality.read', {
      parameters,
      responses: {
        '200': json(s, summary),
        '400': { description: 'Bad request' },
        '404': { description: 'Not found' },
      },
    }),
  })
  return {
    tags: [
      {
        name: C,
        description: 'Cards v4: user card transactions (same charges as v1.1 CardCharges), bulk writes.',
      },
      {
        name: I,
        description:
          'Itinerary v4: company trip ids and trips (same trips as Trips v1.1), 10 lists a minute.',
      },
      {
        name: L,
        description: 'Localities v5: countries, subdivisions, admin regions, locations (same as v3.0).',
      },
    ],
    paths: {
      '/cards/v4/users/{userId}/transactions': {
        get: o(
          C,
          'cardsV4.transactions',
          "A user's card transactions (user token)",
          'cards.transaction.read',
          {
            parameters: [
              p('userId'),
              q('status', 'UN | AS'),
              q('transactionDateFrom', 'yyyy-MM-dd (default and floor: 24 months ago)'),
              q('transactionDateTo', 'yyyy-MM-dd'),
              {
                name: 'pageSize',
                in: 'query',
                schema: { type: 'integer', minimum: 1, maximum: 100, default: 100 },
              },
              q('pageToken', 'paging.nextPageToken of the previous page'),
              q('sort', 'transactionDate (default) | lastModified'),
              q('order', 'ASC | DESC (default)'),
            ],
            responses: { '200': json(CardsV4TransactionPage, 'A page of transactions.'), ...cardsErrors },
          },
        ),
      },
      '/cards/v4/companies/{companyId}/transactions/bulk': {
        post: o(
          C,
          'cardsV4.postTransactions',
          'Posts up to 1000 transactions (company token)',
          'cards.transaction.writeonly',
          {
            parameters: [p('companyId')],
            requestBody: bulkBody(CardsV4TransactionsBulk),
            responses: { '202': json(CardsV4BulkAccepted, 'Accepted.'), ...cardsErrors },
          },
        ),
      },
      '/cards/v4/companies/{companyId}/accounts/bulk': {
        post: o(
          C,
          'cardsV4.postAccounts',
          'Posts up to 1000 accounts (company token)',
          'cards.account.writeonly',
          {
            parameters: [p('companyId')],
            requestBody: bulkBody(CardsV4AccountsBulk),
            responses: { '202': json(CardsV4BulkAccepted, 'Accepted.'), ...cardsErrors },
          },
        ),
      },
      '/cards/v4/companies/{companyId}/bulkrequests/{requestId}': {
        get: o(C, 'cardsV4.bulkRequest', 'Where a bulk request stands', 'cards.bulkrequest.read', {
          parameters: [p('companyId'), p('requestId')],
          responses: { '200': json(CardsV4BulkRequest, 'The bulk request.'), ...cardsErrors },
        }),
      },
      '/travel/v4/trips': {
        get: o(
          I,
          'itineraryV4.tripIds',
          "The company's trip ids, ten a page (company token)",
          'travel.itinerary.read',
          {
            parameters: [
              q('schema', 'id'),
              q('endDateFrom', 'yyyy-MM-dd, no older than six months'),
              q('endDateTo', 'yyyy-MM-dd, inclusive'),
              q('startAfter', 'position from the next link'),
            ],
            responses: {
              '200': json(ItineraryV4TripIdPage, 'Trip ids and the next link.'),
              '400': itinErr,
              '403': itinErr,
              '503': {
                ...json(ItineraryV4Error, 'More than 10 requests in a minute.'),
                headers: { 'retry-after': { schema: { type: 'string' }, description: 'Seconds to wait' } },
              },
            },
          },
        ),
      },
      '/travel/v4/trips/{tripId}': {
        get: o(I, 'itineraryV4.trip', 'One trip (company token)', 'travel.itinerary.read', {
          parameters: [p('tripId')],
          responses: { '200': json(ItineraryV4Trip, 'The trip.'), '403': itinErr, '404': itinErr },
        }),
      },
      '/localities/v5/countries': loc('countries', 'Countries', LocalitiesV5Countries, []),
      '/localities/v5/countries/{countryCode}': loc('country', 'One country', LocalitiesV5Country, [
        p('countryCode'),
      ]),
      '/localities/v5/subdivisions': loc(
        'subdivisions',
        'Subdivisions of a country',
        LocalitiesV5Subdivisions,
        [q('countryCode', 'ISO 3166-1 alpha-2', true)],
      ),
      '/localities/v5/subdivisions/{subdivisionCode}': loc(
        'subdivision',
        'One subdivision',
        LocalitiesV5Subdivision,
        [p('subdivisionCode')],
      ),
      '/localities/v5/adminRegions': loc('adminRegions', 'Administrative regions', LocalitiesV5AdminRegions, [
        q('countryCode', 'ISO 3166-1 alpha-2', true),
        q('subdivisionCode', 'e.g. US-TX'),
      ]),
      '/localities/v5/adminRegions/{id}': loc(
        'adminRegion',
        'One administrative region',
        LocalitiesV5AdminRegion,
        [p('id')],
      ),
      '/localities/v5/locations': loc('locations', 'Locations by exactly one key', LocalitiesV5Locations, [
        q('locationNameKey', 'a name legacy key'),
        q('locationNameId', 'a name id'),
        q('locCode', 'location code, e.g. DEMUC'),
        q('searchText', 'part of the name'),
        q('adminRegionId', 'with searchText only'),
        q('countryCode', 'with searchText only'),
        q('subdivisionCode', 'with searchText only'),
      ]),
      '/localities/v5/locations/{localityId}': loc('location', 'One location', LocalitiesV5Location, [
        p('localityId'),
      ]),
    },
  }
}
