import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  ListV4BulkCreate,
  ListV4BulkResponse,
  ListV4BulkUpdate,
  ListV4Create,
  ListV4Error,
  ListV4Item,
  ListV4ItemCreate,
  ListV4ItemPage,
  ListV4ItemUpdate,
  ListV4List,
  ListV4ListPage,
  ListV4Update,
} from './list-v4.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'))

/** Which schema each documented List v4 example must satisfy. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'list-v4-lists-get-response.json': ListV4ListPage,
  'list-v4-lists-by-category-response.json': ListV4ListPage,
  'list-v4-list-get-by-id-response.json': ListV4List,
  'list-v4-list-post-request.json': ListV4Create,
  'list-v4-list-post-response.json': ListV4List,
  'list-v4-list-post-in-category-request.json': ListV4Create,
  'list-v4-list-post-in-category-response.json': ListV4List,
  'list-v4-list-put-request.json': ListV4Update,
  'list-v4-list-put-response.json': ListV4List,
  'list-v4-managed-list-post-request.json': ListV4Create,
  'list-v4-managed-list-post-response-appid.json': ListV4List,
  'list-v4-managed-list-post-response-service.json': ListV4List,
  'list-v4-managed-list-modification-error-response.json': ListV4Error,
  'list-item-v4-item-get-response.json': ListV4Item,
  'list-item-v4-item-post-first-level-request.json': ListV4ItemCreate,
  'list-item-v4-item-post-by-parentid-request.json': ListV4ItemCreate,
  'list-item-v4-item-post-by-parentcode-request.json': ListV4ItemCreate,
  'list-item-v4-item-post-first-level-response.json': ListV4Item,
  'list-item-v4-item-post-second-level-response.json': ListV4Item,
  'list-item-v4-item-put-request.json': ListV4ItemUpdate,
  'list-item-v4-item-put-response.json': ListV4Item,
  'list-item-v4-item-children-response.json': ListV4ItemPage,
  'list-item-v4-list-item-children-response.json': ListV4ItemPage,
  'list-item-v4-list-children-response.json': ListV4ItemPage,
  'list-item-bulk-v4-validation-error-response.json': ListV4Error,
  'list-item-bulk-v4-rate-limit-error-response.json': ListV4Error,
  'list-item-bulk-v4-post-single-request.json': ListV4BulkCreate,
  'list-item-bulk-v4-post-hierarchy-request.json': ListV4BulkCreate,
  'list-item-bulk-v4-post-failure-request.json': ListV4BulkCreate,
  'list-item-bulk-v4-post-partial-request.json': ListV4BulkCreate,
  'list-item-bulk-v4-patch-update-request.json': ListV4BulkUpdate,
  'list-item-bulk-v4-patch-delete-request.json': ListV4BulkUpdate,
  'list-item-bulk-v4-patch-partial-request.json': ListV4BulkUpdate,
  'list-item-bulk-v4-patch-levels-request.json': ListV4BulkUpdate,
  'list-item-bulk-v4-post-single-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-post-hierarchy-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-post-failure-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-post-partial-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-patch-update-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-patch-delete-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-patch-partial-response.json': ListV4BulkResponse,
  'list-item-bulk-v4-patch-levels-response.json': ListV4BulkResponse,
}

describe('List v4 schemas against the documented examples', () => {
  it('covers every copied List v4 example (none left unchecked)', () => {
    const copied = readdirSync(DIR).filter((f) => /^list-(item-)?(bulk-)?v4-.*\.json$/.test(f))
    expect(copied.sort()).toEqual(Object.keys(SCHEMA_OF).sort())
  })

  for (const [file, schema] of Object.entries(SCHEMA_OF)) {
    it(`parses ${file}`, () => {
      const r = schema.safeParse(read(file))
      expect(r.success, r.error?.message).toBe(true)
    })
  }

  it('rejects what the reference forbids', () => {
    expect(
      ListV4ItemCreate.safeParse({ listId: crypto.randomUUID(), shortCode: 'A-B', value: 'x' }).success,
    ).toBe(false)
    expect(ListV4Create.safeParse({ searchCriteria: 'TEXT' }).success).toBe(false)
    expect(
      ListV4List.safeParse({ ...(read('list-v4-list-post-response.json') as object), searchCriteria: 'NAME' })
        .success,
    ).toBe(false)
    const page = read('list-v4-lists-by-category-response.json') as { page: { number: number } }
    expect(ListV4ListPage.safeParse({ ...page, page: { ...page.page, number: 0 } }).success).toBe(false)
    expect(ListV4Error.safeParse({ errorId: 'x', errorMessage: 'y' }).success).toBe(false)
  })
})
