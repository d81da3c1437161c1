import { describe, expect, it } from 'vitest'
import { Journal } from './journal.js'

const entry = (path: string) => ({
  time: '2026-01-01T00:00:00.000Z',
  datacenter: 'us',
  method: 'GET',
  path,
  status: 200,
  latencyMs: 1,
  correlationId: 'c',
})

describe('Journal', () => {
  it('keeps the newest `capacity` entries, oldest first, with ids that keep counting', () => {
    const journal = new Journal(3)
    for (const p of ['/a', '/b', '/c', '/d', '/e']) journal.add(entry(p))
    expect(journal.list().map((e) => [e.id, e.path])).toEqual([
      [3, '/c'],
      [4, '/d'],
      [5, '/e'],
    ])
    journal.add(entry('/f'))
    expect(journal.list().map((e) => e.path)).toEqual(['/d', '/e', '/f'])
    journal.clear()
    expect(journal.list()).toEqual([])
    expect(journal.add(entry('/g')).id).toBe(7)
    expect(journal.list().map((e) => e.path)).toEqual(['/g'])
  })

  it('lists a copy: later requests do not change a listing already taken', () => {
    const journal = new Journal(2)
    journal.add(entry('/a'))
    const listed = journal.list()
    journal.add(entry('/b'))
    journal.add(entry('/c'))
    expect(listed.map((e) => e.path)).toEqual(['/a'])
  })
})
