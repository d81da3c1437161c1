import { describe, expect, it } from 'vitest'
import { useSocketMock } from '../test/helpers/socket-mock.ts'
import { ConcurClientError, ConcurRequestError } from './errors.js'

/** The Attendees v4 / Expense Configuration v4 accessor and rows against the mock over a real socket. */

const { mock, clientOf } = useSocketMock({ seed: 33, size: 60 })

describe('client.expenseConfigV4 and the v4 rows', () => {
  it('creates and updates an attendee through v4; the v3.0 row reads the change', async () => {
    const traveler = await clientOf(3)
    const { id } = await traveler.expenseConfigV4.createAttendee({
      attendeeTypeCode: 'BUSGUEST',
      firstName: 'Olive',
      lastName: 'Tree',
      externalId: 'CLIENT-OLIVE',
    })
    await traveler.expenseConfigV4.updateAttendee(id, { lastName: 'Timber' })
    const one = await traveler.expenseConfigV4.attendee(id)
    expect(one).toMatchObject({ id, lastName: 'Timber', firstName: 'Olive', versionNumber: 2 })
    expect(await traveler.expenseConfigV4.attendeesByIds([id])).toEqual([one])
    const v3 = await traveler.resource('expense-attendees').list({ externalID: 'CLIENT-OLIVE' }).toArray()
    expect(v3.map((a) => a.LastName)).toEqual(['Timber'])
    const v4 = await traveler.resource('attendees-v4').list({ externalId: 'CLIENT-OLIVE' }).toArray()
    expect(v4).toEqual([one])
  })

  it('walks the rows: attendee types (company token) and a user configuration', async () => {
    const company = await clientOf('company')
    const types = await company.resource('attendee-types-v4').list().toArray()
    expect(types.map((t) => t.code)).toContain('BUSGUEST')
    const user = await clientOf(4)
    const policies = await user.resource('expense-config-v4-policies').list().toArray()
    expect(policies.length).toBe(3)
    const config = await user.expenseConfigV4.groupConfig(mock.state.user(mock.state.companies[0]!, 4)!.id)
    expect(config.policies).toEqual(policies)
    const groups = await company.expenseConfigV4.companyGroups(mock.state.companies[0]!.id)
    expect(
      await company.expenseConfigV4.companyGroup(mock.state.companies[0]!.id, groups[0]!.hierarchyNodeId),
    ).toMatchObject(groups[0]!)
    const types2 = await user.expenseConfigV4.expenseTypes(
      mock.state.user(mock.state.companies[0]!, 4)!.id,
      policies[0]!.policyId,
    )
    expect(types2.length).toBeGreaterThan(0)
  })

  it('refuses a bad body before sending and carries the status of a refused request', async () => {
    const traveler = await clientOf(3)
    await expect(
      traveler.expenseConfigV4.createAttendee({ attendeeTypeCode: 'BUSGUEST' } as never),
    ).rejects.toBeInstanceOf(ConcurClientError)
    const err = await traveler.expenseConfigV4
      .createAttendee({ attendeeTypeCode: 'NOSHOWS', lastName: 'X' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect((err as ConcurRequestError).status).toBe(400)
    await expect(traveler.expenseConfigV4.attendee('')).rejects.toBeInstanceOf(ConcurClientError)
  })
})
