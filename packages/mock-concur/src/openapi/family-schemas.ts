import { z } from 'zod'

/** A JSON value of the OpenAPI document. */
export type Json = Record<string, unknown>

/**
 * The JSON Schema (draft 2020-12, no `$schema` key) of a contract schema, for a family's OpenAPI
 * fragment. `dropRefMembers` leaves out members named `$ref` (SCIM's `manager.$ref`), which OpenAPI
 * tooling would read as JSON references.
 *
 * @example jsonSchemaOf(IdentityUserWrite, 'input', { dropRefMembers: true })
 */
export function jsonSchemaOf(
  s: z.ZodType,
  io: 'input' | 'output' = 'output',
  options: { dropRefMembers?: boolean } = {},
): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io,
  })
  if (!options.dropRefMembers) return rest
  return JSON.parse(JSON.stringify(rest), (key, value: unknown) => {
    if (key === 'properties' && value && typeof value === 'object' && '$ref' in value) {
      const { $ref: _ref, ...others } = value as Record<string, unknown>
      return others
    }
    return value
  }) as Json
}

/**
 * The JSON Schema of a SCIM shape (Identity, User Provisioning) without its `$ref` members.
 *
 * @example scimSchemaOf(UpsUserWrite, 'input')
 */
export const scimSchemaOf = (s: z.ZodType, io: 'input' | 'output' = 'output'): Json =>
  jsonSchemaOf(s, io, { dropRefMembers: true })

/**
 * A `ref(schema)` for a family whose schemas the document registers as components under the names of
 * `table`. A schema outside the table is a bug of the fragment: it throws naming the family, unless
 * `fallback` names the component to use instead.
 *
 * @example const ref = componentRef(LIST_V4_SCHEMAS, 'List v4'); ref(ListV4List) // { $ref: '#/components/schemas/ListV4List' }
 */
export function componentRef(
  table: Readonly<Record<string, z.ZodType>>,
  family: string,
  fallback?: string,
): (s: z.ZodType) => { $ref: string } {
  return (s) => {
    const id = Object.entries(table).find(([, v]) => v === s)?.[0] ?? fallback
    if (!id) throw new Error(`unregistered ${family} schema`)
    return { $ref: `#/components/schemas/${id}` }
  }
}
