import {
  getResource,
  LEGACY_XML_MAPPINGS,
  REPORT_FULL_DETAILS_PATH,
  REPORT_WORKFLOW_ACTION,
} from '@concurkit/contract'
import { type DocumentBuilder, ERROR_RESPONSES, pathParameters, ref, security } from './components.js'

// Paths outside the registry rows: reads that support a row (extract job status and file, receipt image
// URLs, v1.1 forms), Image v1.0, failed event notifications and the v1.1 report workflow action.

/** The v1.1 forms walk (form types → forms of a type → fields) and the extract job endpoints, from the contract. */
const FORMS_WALK = LEGACY_XML_MAPPINGS['expense-form']!.walk!
const EXTRACT_JOB_ENDPOINTS = LEGACY_XML_MAPPINGS['extract-jobs']!.endpoints!

/**
 * Read endpoints the mock serves next to the registry rows (no row of their own: they support a
 * row, e.g. an extract job's status and file, or a receipt image's temporary URL).
 */
const EXTRA_ENDPOINTS: readonly {
  readonly path: string
  readonly tag: string
  readonly summary: string
  readonly scope?: string
  readonly content: string
  readonly query?: readonly string[]
}[] = [
  {
    path: FORMS_WALK[0]!.path,
    tag: 'v1.1 Expense Form',
    summary: 'List the form types',
    scope: getResource('expense-form').scope,
    content: 'application/xml',
  },
  {
    path: FORMS_WALK[1]!.path,
    tag: 'v1.1 Expense Form',
    summary: 'List the forms of a form type',
    scope: getResource('expense-form').scope,
    content: 'application/xml',
  },
  {
    path: FORMS_WALK[2]!.aliases![0]!,
    tag: 'v1.1 Expense Form',
    summary: 'List the fields of a form (alias of `report/Form/{FormId}/Fields`)',
    scope: getResource('expense-form').scope,
    content: 'application/xml',
  },
  {
    path: REPORT_FULL_DETAILS_PATH,
    tag: 'v2.0 Expense Reports Detail',
    summary: 'Report details under the v1.1 element names (event-notification target)',
    scope: getResource('expense-reports-detail').scope,
    content: 'application/xml',
  },
  {
    path: EXTRACT_JOB_ENDPOINTS.status!.path,
    tag: 'v1.0 Extract Jobs',
    summary: 'Status of an extract job',
    scope: getResource('extract-jobs').scope,
    content: 'application/xml',
  },
  {
    path: EXTRACT_JOB_ENDPOINTS.file!.path,
    tag: 'v1.0 Extract Jobs',
    summary: 'The file of a completed extract job (CSV)',
    scope: getResource('extract-jobs').scope,
    content: 'text/csv',
  },
  {
    path: '/api/user/v1.0/user',
    tag: 'v3.0 User Information',
    summary: 'User Information v1.0: the token owner, or `loginID` for administrators',
    scope: 'USER',
    content: 'application/xml',
    query: ['loginID'],
  },
  {
    path: '/imaging/v3/receipts/{id}',
    tag: 'v3.0 Receipt Images',
    summary: 'A receipt image’s temporary, signed URL (the `ImageURI` of a receipt image record)',
    content: 'image/png',
    query: ['expires', 'signature'],
  },
]

/** Adds the read endpoints of `EXTRA_ENDPOINTS`. */
export function addExtraEndpoints(builder: DocumentBuilder): void {
  const { op } = builder
  for (const extra of EXTRA_ENDPOINTS) {
    op(extra.path, 'get', {
      operationId: `extra.${extra.path.replace(/[^A-Za-z0-9]+/g, '.').replace(/^\.|\.$/g, '')}`,
      summary: extra.summary,
      tags: [extra.tag],
      ...(extra.scope ? { security: security(extra.scope), 'x-concur-scope': extra.scope } : {}),
      parameters: [
        ...pathParameters(extra.path),
        ...(extra.query ?? []).map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
      ],
      responses: {
        '200': { description: extra.summary, content: { [extra.content]: { schema: { type: 'string' } } } },
        ...ERROR_RESPONSES,
      },
    })
  }
}

/** Adds Image v1.0, the failed event notifications and the v1.1 report workflow action. */
export function addLegacyPaths(builder: DocumentBuilder): void {
  const { op, tags } = builder
  tags.push({
    name: 'v1.0 Image',
    description: 'Image v1.0: receipt, report and entry images (the v3.0 receipt images).',
  })
  const imageAnswer = {
    description: '`<Image><Id/><Url/></Image>` (`Url` empty after an upload).',
    content: { 'application/xml': { schema: { type: 'string' } } },
  }
  const imageUpload = {
    required: true,
    content: Object.fromEntries(
      [
        'application/pdf',
        'image/jpg',
        'image/jpeg',
        'image/png',
        'image/gif',
        'image/tiff',
        'multipart/form-data',
      ].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
    ),
  }
  for (const [path, what, upload] of [
    ['/api/image/v1.0/receipt/{imageId}', 'a receipt image', false],
    ['/api/image/v1.0/expenseentry/{entryId}', 'an expense entry image', true],
    ['/api/image/v1.0/report/{reportId}', 'an expense report image', true],
  ] as const) {
    const name = path.split('/')[4]!
    const base = {
      tags: ['v1.0 Image'],
      security: security('IMAGE'),
      'x-concur-scope': 'IMAGE',
      parameters: pathParameters(path),
    }
    op(path, 'get', {
      operationId: `image.v10.${name}.get`,
      summary: `The temporary URL of ${what}`,
      ...base,
      responses: { '200': imageAnswer, ...ERROR_RESPONSES },
    })
    if (upload)
      op(path, 'post', {
        operationId: `image.v10.${name}.post`,
        summary: `Upload ${what}`,
        ...base,
        requestBody: imageUpload,
        responses: { '200': imageAnswer, ...ERROR_RESPONSES },
      })
  }
  op('/api/image/v1.0/receipt', 'post', {
    operationId: 'image.v10.receipt.post',
    summary: 'Upload a receipt image (a v3.0 receipt image of the token owner)',
    tags: ['v1.0 Image'],
    security: security('IMAGE'),
    'x-concur-scope': 'IMAGE',
    requestBody: imageUpload,
    responses: { '200': imageAnswer, ...ERROR_RESPONSES },
  })
  const notifications = '/api/platform/notifications/v1.0/notification'
  tags.push({ name: 'Notifications', description: 'Failed event notifications (callouts).' })
  op(notifications, 'get', {
    operationId: 'notifications.listFailed',
    summary: 'List failed event notifications',
    tags: ['Notifications'],
    security: [{ bearer: [] }],
    parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['FAILED'] } }],
    responses: {
      '200': {
        description: 'Failed notifications (XML by default; JSON with `Accept: application/json`).',
        content: {
          'application/xml': { schema: ref('FailedNotificationList') },
          'application/json': { schema: ref('FailedNotificationList') },
        },
      },
      ...ERROR_RESPONSES,
    },
  })
  op(`${notifications}/{id}`, 'delete', {
    operationId: 'notifications.delete',
    summary: 'Delete a failed event notification',
    tags: ['Notifications'],
    security: [{ bearer: [] }],
    parameters: pathParameters(`${notifications}/{id}`),
    responses: { '200': { description: 'Deleted.' }, ...ERROR_RESPONSES },
  })
  op(REPORT_WORKFLOW_ACTION.path, 'post', {
    operationId: 'expensereport.v11.workflowAction',
    summary: 'Approve or send back a report (fires the Event Notification callout on approval)',
    tags: ['Notifications'],
    security: security(REPORT_WORKFLOW_ACTION.scope),
    'x-concur-scope': REPORT_WORKFLOW_ACTION.scope,
    parameters: pathParameters(REPORT_WORKFLOW_ACTION.path),
    requestBody: {
      required: true,
      content: { 'application/xml': { schema: { type: 'string' } } },
    },
    responses: {
      '200': {
        description: '`<ActionStatus><Message/><Status>SUCCESS|FAILURE</Status></ActionStatus>`',
        content: { 'application/xml': { schema: { type: 'string' } } },
      },
      ...ERROR_RESPONSES,
    },
  })
}
