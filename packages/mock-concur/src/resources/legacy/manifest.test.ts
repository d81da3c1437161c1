import { LEGACY_RESOURCES } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../../mock.js'
import { LEGACY_MANIFEST_RESOURCES, legacyManifestEntry } from './manifest.js'

describe('manifest of the XML-only resources', () => {
  it('covers every XML-only resource through GET /_mock/manifest, with filters passed through', async () => {
    const mock = createMockConcur({ seed: 2, size: 60 })
    const c = mock.state.companies[0]!
    expect([...LEGACY_MANIFEST_RESOURCES].sort()).toEqual(LEGACY_RESOURCES.map((r) => r.name).sort())
    for (const name of LEGACY_MANIFEST_RESOURCES) {
      const res = await mock.app.request(`/_mock/manifest?company=${c.id}&resource=${name}`)
      expect(res.status, name).toBe(200)
      const body = (await res.json()) as { companies: { id: string; resources: Record<string, unknown> }[] }
      expect(body.companies[0]!.resources[name]).toEqual(legacyManifestEntry(mock.state, c, name))
    }
    const login = c.users[2]!.loginId
    const narrowed = await mock.app.request(
      `/_mock/manifest?company=${c.id}&resource=company-card-transactions&user=${encodeURIComponent(login)}`,
    )
    const body = (await narrowed.json()) as { companies: { resources: Record<string, { count: number }> }[] }
    expect(body.companies[0]!.resources['company-card-transactions']).toEqual(
      legacyManifestEntry(mock.state, c, 'company-card-transactions', { user: login }),
    )
    const bad = await mock.app.request(`/_mock/manifest?company=${c.id}&resource=reports-detail&Status=NOPE`)
    expect(bad.status).toBe(400)
  })

  it('is deterministic: the same seed gives the same counts and checksums', () => {
    const a = createMockConcur({ seed: 21, size: 80 })
    const b = createMockConcur({ seed: 21, size: 80 })
    const other = createMockConcur({ seed: 22, size: 80 })
    for (const name of LEGACY_MANIFEST_RESOURCES) {
      const x = legacyManifestEntry(a.state, a.state.companies[0]!, name)
      expect(legacyManifestEntry(b.state, b.state.companies[0]!, name)).toEqual(x)
      if (name !== 'expense-form' || x.count > 0)
        expect(legacyManifestEntry(other.state, other.state.companies[0]!, name).sha256).not.toBe(x.sha256)
    }
  })
})
