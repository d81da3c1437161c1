import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  CardsV4AccountsBulk,
  CardsV4BulkAccepted,
  CardsV4BulkRequest,
  CardsV4Error,
  CardsV4TransactionPage,
  CardsV4TransactionsBulk,
} from './cards-v4.js'
import { ItineraryV4Trip, ItineraryV4TripIdPage } from './itinerary-v4.js'
import {
  LocalitiesV5AdminRegion,
  LocalitiesV5AdminRegions,
  LocalitiesV5Countries,
  LocalitiesV5Country,
  LocalitiesV5Location,
  LocalitiesV5Locations,
  LocalitiesV5Subdivision,
  LocalitiesV5Subdivisions,
} from './localities-v5.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const text = (name: string) => readFileSync(new URL(name, DIR), 'utf8')
const read = (name: string): unknown => JSON.parse(text(name))

/** Which schema each documented example must satisfy. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'cards-v4-transactions-bulk-request.json': CardsV4TransactionsBulk,
  'cards-v4-transactions-bulk-response.json': CardsV4BulkAccepted,
  'cards-v4-transactions-bulk-error-response.json': CardsV4Error,
  'cards-v4-accounts-bulk-request.json': CardsV4AccountsBulk,
  'cards-v4-accounts-bulk-response.json': CardsV4BulkAccepted,
  'cards-v4-accounts-bulk-error-response.json': CardsV4Error,
  'cards-v4-bulkrequest-get-response.json': CardsV4BulkRequest,
  'itinerary-v4-trips-list-response.json': ItineraryV4TripIdPage,
  'itinerary-v4-trip-get-response.json': ItineraryV4Trip,
  'localities-v5-countries-response.json': LocalitiesV5Countries,
  'localities-v5-country-by-code-response.json': LocalitiesV5Country,
  'localities-v5-locations-by-loccode-response.json': LocalitiesV5Locations,
  'localities-v5-location-by-id-response.json': LocalitiesV5Location,
  'localities-v5-subdivisions-response.json': LocalitiesV5Subdivisions,
  'localities-v5-subdivision-by-code-response.json': LocalitiesV5Subdivision,
  'localities-v5-adminregions-response.json': LocalitiesV5AdminRegions,
  'localities-v5-adminregion-by-id-response.json': LocalitiesV5AdminRegion,
}

describe('Cards v4, Itinerary v4 and Localities v5 schemas against the documented examples', () => {
  it.each(Object.entries(SCHEMA_OF))('%s parses', (file, schema) => {
    const r = schema.safeParse(read(file))
    expect(r.success, r.success ? '' : JSON.stringify(r.error.issues)).toBe(true)
  })

  it('the user transactions sample parses once its one missing comma is put back', () => {
    const raw = text('cards-v4-user-transactions-response.json')
    expect(() => JSON.parse(raw)).toThrow()
    const fixed = raw.replace('"id": "3321329401"\n', '"id": "3321329401",\n')
    const page = CardsV4TransactionPage.parse(JSON.parse(fixed))
    expect(page.paging.nextPageToken).toBeNull()
    expect(page.transactions[0]?.administrativeData.status).toBe('UN')
  })

  it('the documented invalid bulk requests are rejected by the request schemas', () => {
    const tx = CardsV4TransactionsBulk.safeParse(read('cards-v4-transactions-bulk-invalid-request.json'))
    expect(tx.success).toBe(false)
    const paths = tx.error?.issues.map((i) => i.path.join('.'))
    // The documented answer names these three: type (enum), postedAmount (missing), externalId (size).
    expect(paths).toEqual(
      expect.arrayContaining([
        'transactions.0.type',
        'transactions.0.postedAmount',
        'transactions.0.externalId',
      ]),
    )
    expect(CardsV4AccountsBulk.safeParse(read('cards-v4-accounts-bulk-invalid-request.json')).success).toBe(
      false,
    )
  })

  it('the Cards error body is an array, not an object', () => {
    expect(CardsV4Error.safeParse({ errorCode: 'invalidRequest', errorMessage: 'x' }).success).toBe(false)
  })
})
