import { z } from 'zod'
import { XmlDateTime, XmlText } from './fields.js'

/** Namespace of the v1.0 extract API. */
export const EXTRACT_NAMESPACE = 'http://www.concursolutions.com/api/expense/extract/2010/02'

/** Statuses an extract job runs through (Concur's samples show `Queued`, `Complete` and `Completed`). */
export const EXTRACT_JOB_STATUSES = ['Queued', 'In Process', 'Completed', 'Failed'] as const

/**
 * One extract definition (`<definition>`): its URL, job link and name.
 *
 * @example
 * ExtractDefinition.shape.name.parse('Standard Accounting Extract')
 */
export const ExtractDefinition = z.looseObject({
  id: z.string().url(),
  'job-link': z.string().url(),
  name: XmlText,
})
export type ExtractDefinition = z.infer<typeof ExtractDefinition>

/**
 * One extract job (`<job>`). `stop-time` and `file-link` are absent while the job is queued or running.
 *
 * @example
 * ExtractJob.shape.status.parse('Queued')
 */
export const ExtractJob = z.looseObject({
  id: z.string().url(),
  'status-link': z.string().url(),
  'start-time': XmlDateTime,
  'stop-time': XmlDateTime.optional(),
  status: XmlText,
  'file-link': z.string().url().optional(),
})
export type ExtractJob = z.infer<typeof ExtractJob>

/**
 * The body of `POST /api/expense/extract/v1.0/{DefinitionID}/job`, parsed: `<definition><id>…</id></definition>`.
 *
 * @example
 * ExtractJobRequest.parse({ definition: { id: 'https://…/v1.0/nYoPK$pZ…' } })
 */
export const ExtractJobRequest = z.object({ definition: z.object({ id: z.string().min(1) }) })
export type ExtractJobRequest = z.infer<typeof ExtractJobRequest>
