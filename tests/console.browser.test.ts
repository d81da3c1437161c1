// The mock's console in a real browser: Debian's chromium driven by playwright-core. A request made
// to the mock shows up in the live journal; a fault added with the console's form takes effect.
// With CONCURKIT_SCREENSHOTS=1 it also writes a screenshot of each page to docs/screenshots/.
import { accessSync, constants, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createMockConcur, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const path of candidates) {
    if (!path) continue
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  return undefined
}

const executable = findChromium()
const screenshots = process.env.CONCURKIT_SCREENSHOTS === '1'
const shotsDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url))
const title = executable
  ? 'console in chromium'
  : 'console in chromium — SKIPPED: no chromium executable (apt-get install chromium, or set CHROMIUM_PATH)'

describe.skipIf(!executable)(title, () => {
  let mock: MockConcur
  let running: RunningMock
  let browser: Browser
  let page: Page
  let base: string

  const shoot = async (name: string, fullPage = true) => {
    if (!screenshots) return
    mkdirSync(shotsDir, { recursive: true })
    await page.screenshot({ path: `${shotsDir}${name}.png`, fullPage })
  }

  beforeAll(async () => {
    mock = createMockConcur({ seed: 42, size: 40 })
    running = await mock.listen()
    base = running.admin
    browser = await chromium.launch({
      executablePath: executable!,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    })
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  })

  afterAll(async () => {
    await browser?.close()
    await running?.close()
  })

  it('shows the overview with the default company credentials', async () => {
    await page.goto(`${base}/_mock/`)
    const company = mock.state.companies[0]!
    await expect(page.locator('#credentials code[data-field="client_id"]').textContent()).resolves.toBe(
      company.apps[0]!.clientId,
    )
    expect(await page.locator('#datacenters').textContent()).toContain(running.datacenters.eu2)
    expect(await page.locator('#companies tbody tr').count()).toBe(mock.state.companies.length)
    await shoot('overview')
  })

  it('shows a request made to the mock in the live journal, secrets redacted', async () => {
    await page.goto(`${base}/_mock/console/journal`)
    const company = mock.state.companies[0]!
    const token = await fetch(`${base}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: company.apps[0]!.clientId,
        client_secret: company.apps[0]!.clientSecret,
        username: company.users[0]!.loginId,
        password: company.users[0]!.password,
      }),
    })
    expect(token.status).toBe(200)
    const { access_token } = (await token.json()) as { access_token: string }
    const charges = await fetch(`${base}/api/expense/expensereport/v1.1/CardCharges`, {
      headers: { authorization: `Bearer ${access_token}` },
    })
    expect(charges.status).toBe(200)
    expect((await fetch(`${base}/api/v3.0/no/such/path`)).status).toBe(404)

    // The page polls the journal: the rows appear without a reload.
    const row = page.locator('#journal-rows tr', { hasText: '/api/expense/expensereport/v1.1/CardCharges' })
    await row.first().waitFor({ timeout: 10_000 })
    expect(await row.first().locator('td').nth(5).textContent()).toBe('200')
    await page.locator('#journal-rows tr', { hasText: '/api/v3.0/no/such/path' }).first().waitFor()
    const text = (await page.locator('#journal-rows').textContent()) ?? ''
    expect(text).toContain('/oauth2/v0/token')
    expect(text).not.toContain(company.users[0]!.password)
    expect(text).not.toContain(access_token)
    await shoot('journal')
  })

  it('adds a fault with the form; the next request gets it; removing it restores service', async () => {
    await page.goto(`${base}/_mock/console/faults`)
    await page.selectOption('#add-fault select[name="method"]', 'GET')
    await page.fill('#add-fault input[name="path"]', '/oauth2/v0/jwks')
    await page.fill('#add-fault input[name="status"]', '503')
    await page.fill('#add-fault input[name="retryAfter"]', '2')
    await page.click('#add-fault button[type="submit"]')
    await page.locator('#fault-rules tbody tr').first().waitFor()
    expect(await page.locator('#fault-rules tbody tr').count()).toBe(1)

    const faulted = await fetch(`${base}/oauth2/v0/jwks`)
    expect(faulted.status).toBe(503)
    expect(faulted.headers.get('retry-after')).toBe('2')
    await faulted.arrayBuffer()

    // A bad rule is refused with the engine's message, and nothing is added.
    await page.fill('#add-fault input[name="path"]', '/api/**')
    await page.click('#add-fault button[type="submit"]')
    expect(await page.locator('.error').textContent()).toContain('a fault needs an effect')
    expect(mock.state.faults.rules).toHaveLength(1)

    await page.goto(`${base}/_mock/console/faults`)
    await shoot('faults')
    await page.click('#fault-rules button.danger')
    await page.locator('#no-faults').waitFor()
    expect((await fetch(`${base}/oauth2/v0/jwks`)).status).toBe(200)
  })

  it('advances the clock from the overview form', async () => {
    await page.goto(`${base}/_mock/`)
    const before = mock.state.clock.offsetSeconds
    await page.fill('input[name="advanceSeconds"]', '7200')
    await page.click('#datacenters button[type="submit"]')
    await page.waitForURL(`${base}/_mock/`)
    expect(mock.state.clock.offsetSeconds - before).toBe(7200)
  })

  it('renders the API reference offline from the OpenAPI document', async () => {
    await page.goto(`${base}/_mock/console/api`)
    const reference = await page.locator('main').textContent()
    expect(reference).toContain('/api/v3.0/expense/reports/{id}')
    expect(reference).toContain('/oauth2/v0/token')
    await shoot('api-reference', false)
  })
})
