import { ReceiptImage } from '@concurkit/contract'
import { z } from 'zod'
import type { TargetContext } from '../context.js'
import { expectWebServiceError } from '../oauth.js'
import { type CheckDefinition, expect, fail, pass } from '../types.js'
import type { WireResponse } from '../wire.js'

const IMAGES = '/api/v3.0/expense/receiptimages'
const EXTRACT = '/api/expense/extract/v1.0'

/**
 * A small valid PNG (1×1, RGB), built here so the upload is real image bytes with a checksum the
 * check can compare after the round trip through the temporary URL.
 */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC',
  'base64',
)

interface CreatedImage {
  readonly id: string
  readonly uri: string
}

function createdImage(t: TargetContext): Promise<CreatedImage> {
  return t.memo('receipt-image:created', async () => {
    const s = await t.session()
    const res = await t.wire.request({
      method: 'POST',
      url: `${s.geolocation}${IMAGES}`,
      token: s.accessToken,
      accept: 'application/json',
      body: { contentType: 'image/png', data: PNG },
    })
    if (res.status !== 200)
      fail(`POST ${IMAGES} (image/png) answered ${res.status}: ${res.text.slice(0, 120)}`)
    const parsed = z.object({ ID: z.string().min(1), URI: z.string().min(1) }).safeParse(res.json())
    if (!parsed.success) fail(`the create answer is not {"ID", "URI"}: ${z.prettifyError(parsed.error)}`)
    return { id: parsed.data.ID, uri: parsed.data.URI }
  })
}

/** Receipt images (C.9): upload, read the image record in JSON and XML, fetch the bytes back. */
function receiptImageChecks(): CheckDefinition[] {
  const base = {
    reference: 'C.9',
    group: 'receipt-images',
    resource: 'receipt-images' as const,
    unavailable: 'it uploads a receipt image, and a run against a real tenant never writes',
  }
  return [
    {
      ...base,
      id: 'receipt-images.create',
      title: 'POST of image bytes creates a receipt image answering {ID, URI}',
      requires: ['writes'],
      exclusive: true,
      async run(t) {
        const created = await createdImage(t)
        expect(created.uri.includes(created.id), `URI ${created.uri} does not name the ID ${created.id}`)
        return pass(`created ${created.id.slice(0, 12)}… (${PNG.length} bytes of image/png)`)
      },
    },
    {
      ...base,
      id: 'receipt-images.get',
      title: 'GET by id answers an Image with a temporary URL, in JSON and in XML',
      requires: ['writes'],
      exclusive: true,
      async run(t) {
        const { id } = await createdImage(t)
        const s = await t.session()
        const url = `${s.geolocation}${IMAGES}/${encodeURIComponent(id)}`
        const json = await t.wire.request({ url, token: s.accessToken, accept: 'application/json' })
        expect(json.status === 200, `GET ${IMAGES}/{id} answered ${json.status}`)
        const image = ReceiptImage.safeParse(json.json())
        if (!image.success) fail(`not an Image {Id, Url}: ${z.prettifyError(image.error)}`)
        expect(image.data.Id === id, `asked for ${id}, got Id ${image.data.Id}`)
        expect(/^https?:\/\//.test(image.data.Url), `Url ${image.data.Url} is not absolute`)
        const xml = await t.wire.request({ url, token: s.accessToken, accept: 'application/xml' })
        expect(xml.status === 200, `GET with Accept XML answered ${xml.status}`)
        const root = xml.xml().Image as Record<string, unknown> | undefined
        expect(root && typeof root === 'object', 'the XML answer has no <Image> root')
        expect(root.Id === id, `<Image><Id> is ${String(root.Id)}, not ${id}`)
        expect(typeof root.Url === 'string' && root.Url.length > 0, '<Image> has no <Url>')
        return pass('Image {Id, Url} in JSON; <Image><Id/><Url/></Image> in XML')
      },
    },
    {
      ...base,
      id: 'receipt-images.bytes',
      title: 'the temporary URL serves the uploaded bytes, without a bearer token',
      requires: ['writes'],
      exclusive: true,
      async run(t) {
        const { id } = await createdImage(t)
        const client = await t.client()
        const image = await client.receiptImage(id)
        expect(image.contentType.startsWith('image/png'), `content type ${image.contentType}`)
        expect(
          Buffer.compare(image.bytes, PNG) === 0,
          `got ${image.bytes.length} bytes back, uploaded ${PNG.length} (different content)`,
        )
        return pass(`${image.bytes.length} bytes, identical to the upload`)
      },
    },
  ]
}

interface JobXml {
  readonly id?: unknown
  readonly status?: unknown
  readonly 'file-link'?: unknown
  readonly 'status-link'?: unknown
  readonly 'start-time'?: unknown
}

function jobOf(res: WireResponse, what: string): JobXml {
  const job = res.xml().job as JobXml | undefined
  if (!job || typeof job !== 'object') fail(`${what}: the answer has no <job> element`)
  return job
}

/** The first extract definition: its URL and id (last path segment). */
async function firstDefinition(t: TargetContext): Promise<{ url: string; id: string }> {
  const client = await t.client()
  const [definition] = await client.extractDefinitions.list().toArray()
  const url = String(definition?.id ?? '')
  if (!url) fail('the tenant has no extract definition')
  return { url, id: url.replace(/\/+$/, '').split('/').pop()! }
}

/** Extract job lifecycle (C.17): create → poll on the mock clock → download; 409 and 404 cases. */
function extractChecks(): CheckDefinition[] {
  const base = { reference: 'C.17', group: 'extract', resource: 'extract-jobs' as const }
  return [
    {
      ...base,
      id: 'extract.job.lifecycle',
      title: 'a job is Queued, completes as the clock moves, and its file is the v2.0 reports of its JobKey',
      requires: ['writes', 'clock', 'admin'],
      unavailable:
        "it starts extract jobs (writes) and moves the mock's clock to finish them; a real job takes hours",
      exclusive: true,
      async run(t) {
        const client = await t.client()
        const definition = await firstDefinition(t)
        const job = await client.extractJobs.create(definition.url)
        expect(/^queued$/i.test(job.status), `a new job has status ${job.status}, not Queued`)
        const seen: string[] = [job.status]
        const done = await client.extractJobs.waitFor(job.definitionId, job.jobId, {
          interval: 0,
          timeout: 10_000,
          onPoll: async (j) => {
            seen.push(j.status)
            if (seen.length > 50) fail(`still ${j.status} after 50 polls`)
            await t.admin('POST', '/_mock/clock', { advanceSeconds: 30 })
          },
        })
        expect(/^complete/i.test(done.status), `the job ended ${done.status}`)
        expect(done.fileLink, 'a completed job has no file-link')
        expect(done.stopTime, 'a completed job has no stop-time')
        const file = await client.extractJobs.download(done)
        expect(/csv|zip/.test(file.contentType), `the file is ${file.contentType}, not CSV or ZIP`)
        if (!/csv/.test(file.contentType)) return pass(`completed; ${file.bytes.length} bytes of ZIP`)
        const rows = file.bytes.toString('utf8').trimEnd().split(/\r?\n/).slice(1).filter(Boolean)
        const inFile = rows.map((r) => r.split(',')[0]!.replace(/^"|"$/g, '')).sort()
        // the reports a job extracted are the v2.0 reports with its JobKey (ACTIVE + PAYMENTCONFIRMED)
        const reports = client.reportsDetail
        const listed = [
          ...(await reports.list({ JobKey: done.jobId }).toArray()),
          ...(await reports.list({ JobKey: done.jobId, Status: 'PAYMENTCONFIRMED' }).toArray()),
        ]
          .map((r) => String(r.ReportId))
          .sort()
        expect(
          inFile.length === listed.length && inFile.every((id, i) => id === listed[i]),
          `the file has ${inFile.length} reports, the v2.0 list with JobKey ${listed.length}`,
        )
        return pass(
          `${seen.join(' → ')} → ${done.status}; ${inFile.length} report rows, as the v2.0 list with its JobKey`,
        )
      },
    },
    {
      ...base,
      id: 'extract.job.conflict',
      title: 'a second job while one is queued is refused with 409',
      requires: ['writes', 'clock', 'admin'],
      unavailable:
        "it starts extract jobs (writes) and moves the mock's clock to finish them; a real job takes hours",
      exclusive: true,
      async run(t) {
        const s = await t.session()
        const definition = await firstDefinition(t)
        const post = () =>
          t.wire.request({
            method: 'POST',
            url: `${s.geolocation}${EXTRACT}/${definition.id}/job`,
            token: s.accessToken,
            accept: 'application/xml',
            body: {
              contentType: 'application/xml',
              data: `<definition xmlns="http://www.concursolutions.com/api/expense/extract/2010/02"><id>${definition.url}</id></definition>`,
            },
          })
        const first = await post()
        expect(first.status === 201, `POST …/job answered ${first.status}, not 201 Created`)
        const job = jobOf(first, 'POST …/job')
        expect(first.headers.get('location'), 'the 201 answer has no Location header')
        expect(String(job.status) === 'Queued', `the new job is ${String(job.status)}`)
        const second = await post()
        expect(second.status === 409, `a second job while one is queued answered ${second.status}, not 409`)
        // let the queued job finish so later runs start clean
        await t.admin('POST', '/_mock/clock', { advanceSeconds: 600 })
        return pass('201 Created with Location and <job> Queued, then 409 for a second job')
      },
    },
    {
      ...base,
      id: 'extract.job.unknown',
      title: 'an unknown definition or job id answers 404',
      async run(t) {
        const s = await t.session()
        const definition = await firstDefinition(t)
        const badDefinition = await t.wire.request({
          url: `${s.geolocation}${EXTRACT}/NoSuchDefinition0000000000000000/job`,
          token: s.accessToken,
          accept: 'application/xml',
        })
        expectWebServiceError(badDefinition, 404, 'an unknown definition id')
        const badJob = await t.wire.request({
          url: `${s.geolocation}${EXTRACT}/${definition.id}/job/NoSuchJob000000000000000000000/status`,
          token: s.accessToken,
          accept: 'application/xml',
        })
        expectWebServiceError(badJob, 404, 'an unknown job id')
        return pass('404 for an unknown definition and an unknown job')
      },
    },
  ]
}

export { extractChecks, receiptImageChecks }
