import { useMockConcur } from '@concurkit/testing/vitest'
import { expect, it } from 'vitest'
import { tripReport } from './trip-report.js'

const ALL_TIME = { from: '1900-01-01', to: '2099-12-31' }

// Two lines: a started mock, credentials and a signed-in client for this file only.
const concur = useMockConcur({ seed: 7, size: 20, client: { retry: { minTimeout: 20, maxRetries: 3 } } })

it('counts trips per traveller', async () => {
  const report = await tripReport(concur.client, ALL_TIME)
  expect(report.length).toBeGreaterThan(0)
  const total = report.reduce((n, r) => n + r.trips, 0)
  let listed = 0
  for await (const _ of concur.client.travelItineraries.list({
    userid_type: 'login',
    userid_value: 'ALL',
    startDate: ALL_TIME.from,
    endDate: ALL_TIME.to,
  }))
    listed++
  expect(total).toBe(listed)
  expect(report).toEqual(
    [...report].sort((a, b) => b.trips - a.trips || a.traveller.localeCompare(b.traveller)),
  )
})

it('rides out a Concur outage: one 503 is retried by the client', async () => {
  const id = concur.admin.addFault({ path: '/api/travel/trip/v1.1/**', status: 503, times: 1 })
  const report = await tripReport(concur.client, ALL_TIME)
  expect(report.length).toBeGreaterThan(0)
  expect(concur.admin.faults.find((f) => f.id === id)?.fired).toBe(1)
  const statuses = concur.admin.journal().filter((e) => e.path.startsWith('/api/travel/trip/v1.1'))
  expect(statuses.map((e) => e.status)).toContain(503)
})

it('fails clearly when Concur keeps refusing', async () => {
  concur.admin.addFault({ path: '/api/travel/trip/v1.1/**', status: 403 })
  try {
    await expect(tripReport(concur.client, ALL_TIME)).rejects.toThrow(/403/)
  } finally {
    concur.admin.clearFaults()
  }
})
