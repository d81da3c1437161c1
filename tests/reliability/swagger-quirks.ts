/**
 * The known quirks of Concur's swagger files (`fixtures/concur-examples/swagger-*.json`): where a
 * file says something Concur's own examples, reference pages or its other files contradict. This is
 * the ONE reviewed list the spec-driven property test (`spec-fidelity.test.ts`) applies before it
 * judges the mock; every other difference between an answer and a spec is a disagreement and fails
 * the test. Each entry names what it changes and why; the test counts how often each one applied.
 */
export interface SwaggerQuirk {
  /** Stable id, used in the figures. */
  readonly id: string
  /** What the quirk changes before the mock is judged. */
  readonly change: string
  /** Why: the evidence that the swagger file, not Concur, is wrong. */
  readonly reason: string
}

export const SWAGGER_QUIRKS = [
  {
    id: 'base-path',
    change: 'basePath `/concur/api` (v1.x and Image v1.0 files) is served as `/api`',
    reason:
      'Every Concur reference page and example of these APIs calls `https://{host}/api/expense/expensereport/v1.1/...` and `/api/image/v1.0/...` (concur-api.md C.15, C.9; concur-api-v4.md Invoice images); `/concur/api` is the API explorer proxy prefix.',
  },
  {
    id: 'path-with-space',
    change: 'ListItems spells its collection `/common/list items`; it is sent as `/common/listitems`',
    reason:
      'A space cannot be part of the route: the same file spells the item path `/common/listitems/{id}` and concur-api.md C.11 documents `/api/v3.0/common/listitems`.',
  },
  {
    id: 'collection-items-array',
    change:
      "a v3.0 collection's `Items`, typed as one object (`$ref` of the item), is validated as an array of it",
    reason:
      'Concur\'s list examples (ex:expense-v3-reports-list.json and every other `*-list.json`) and concur-api.md C.0 show `"Items": [ ... ]`; the swagger generator lost the array.',
  },
  {
    id: 'nullable',
    change: 'every property may also be `null`',
    reason:
      'Swagger 2.0 cannot say "nullable"; Concur\'s examples send unused fields as `null` (e.g. `"Custom1": null`, `"NextPage": null` on the last page in ex:expense-v3-entryattendeeassociations-list.json; concur-api.md C.0: "null when unused").',
  },
  {
    id: 'undocumented-error-statuses',
    change: 'statuses 400, 401, 403 and 404 count as documented on every operation',
    reason:
      "Most v3.0 operations list only `200` (or `200, 400`), yet concur-api.md E (Concur's HTTP status page for the v1/v2/v3 web services) documents 400 (malformed request, missing field), 401 (no Authorization header), 403 (token fails validation) and 404 (unknown resource) for all of them.",
  },
  {
    id: 'image-body',
    change:
      'the receipt image body typed `{"type": "object"}` (v3.0 ReceiptImages) and the `Image File` form field (Image v1.0) are sent as image bytes (PNG, JPEG, PDF) or a multipart form',
    reason:
      'concur-api.md C.9: the v3.0 POST takes the image as the body; the Image v1.0 file lists `consumes: application/pdf, image/jpg, image/jpeg, image/png, multipart/form-data`. An image upload also documents 413 (over 5 MB) and 415 (another type), as the mock README says.',
  },
  {
    id: 'image-produces-xml',
    change: 'Image v1.0 and v1.1 Expense Form answers are XML whatever `Accept` asks',
    reason:
      'The operations say `produces: ["application/xml"]` (the file-level list adds JSON, but concur-api.md C.15 and the Image v1.0 pages document XML only; JSON shape UNVERIFIED).',
  },
  {
    id: 'void-schema',
    change: '`#/definitions/Void` (PUT/DELETE answers) is an empty body',
    reason: 'concur-api.md C.0: "PUT/DELETE → 200 with empty body (no content)"; `Void` has no properties.',
  },
  {
    id: 'invoice-images',
    change: 'Image v1.0 `invoice/{requestId}` operations may answer 404 for every id',
    reason:
      'Invoice payment requests are not part of the mock yet (they come with the Invoice API); 404 ("Imaging: no image", concur-api.md E) is the documented answer for an id without an image.',
  },
  {
    id: 'deprecated-list-put',
    change:
      '`PUT /common/lists/{id}` documents no answer schema; its 200 is judged as the other PUTs (empty body)',
    reason:
      'The operation is marked "DEPRECATED 05/19/2016" with a bare `200: Success`; the v3.0 rule (concur-api.md C.0) says PUT answers 200 with an empty body.',
  },
] as const satisfies readonly SwaggerQuirk[]

export type QuirkId = (typeof SWAGGER_QUIRKS)[number]['id']
