// A render worker: v3.0 list pages of the seeded data, on a worker thread of a mock that listens
// with `workers` (see render-pool.ts). The same `renderV3Page` as the list routes, so the same bytes.
import { parentPort } from 'node:worker_threads'
import type { DatacenterName } from '@concurkit/contract'
import { companyAt, type MockCompany } from '../companies.js'
import { datasetOf } from '../dataset/dataset.js'
import { providerOf } from '../dataset/providers.js'
import { renderV3Page, v3Endpoints } from './engine.js'
import type { V3PageJob } from './page-cache.js'

const endpoints = new Map(v3Endpoints().map((ep) => [ep.key, ep]))
const companies = new Map<string, MockCompany>()

function companyOf(job: V3PageJob): MockCompany {
  const key = `${job.seed}\u001f${job.size}\u001f${job.datacenters.join(',')}\u001f${job.companyIndex}`
  let company = companies.get(key)
  if (!company) {
    company = companyAt(job.seed, job.companyIndex, job.size, job.datacenters as DatacenterName[])
    if (companies.size >= 64) companies.clear()
    companies.set(key, company)
  }
  // The company a job names is the one the mock serves (same seed, index, size, datacenters).
  if (company.id !== job.companyId) throw new Error(`company ${job.companyIndex} is not ${job.companyId}`)
  return company
}

function render(job: V3PageJob) {
  const ep = endpoints.get(job.key)
  const provider = providerOf(job.key)
  if (!ep || !provider) throw new Error(`no v3.0 list ${job.key}`)
  const ds = datasetOf(job.seed, companyOf(job))
  const query = { filters: job.filters, owner: job.owner }
  return renderV3Page(ds, ep, provider, undefined, query, job.from, job.limit, new URL(job.url), job.xml)
}

parentPort?.on('message', (message: { id: number; job: V3PageJob }) => {
  try {
    const page = render(message.job)
    parentPort!.postMessage({ id: message.id, body: page.body, contentType: page.contentType }, [
      page.body.buffer as ArrayBuffer,
    ])
  } catch (err) {
    parentPort!.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) })
  }
})
// Warm-up before taking pages: a new isolate runs its first pages several times slower while the
// JIT compiles the generators and writers, and those pages would wait behind each other here.
const warm = companyAt(1, 0, 2000, ['us'])
for (const key of ['expense-reports', 'expense-entries'])
  for (const xml of [false, true])
    for (let k = 0; k < 10; k++)
      render({
        key,
        seed: 1,
        size: 2000,
        datacenters: ['us'],
        companyIndex: 0,
        companyId: warm.id,
        filters: new Map(),
        owner: undefined,
        from: k * 100,
        limit: 100,
        url: 'http://warm.localhost/api/v3.0/expense/reports?limit=100',
        xml,
      })
parentPort?.postMessage({ ready: true })
