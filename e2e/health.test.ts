import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createWsClient } from '../src/renderer/api/ws-client.ts'
import type { VigilClient } from '../src/renderer/api/client.ts'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

const SPEED = 30
const PASSWORD = 'correct horse battery'

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]
let admin: VigilClient

let assetIds: string[] = []
/** The navigation's entries, less the one per asset of the asset view. */
const navLinks = async () =>
  (await page.locator('.topbar nav a').allInnerTexts()).filter((t) => !assetIds.includes(t))

async function signInAs(user: string): Promise<void> {
  const session = page.getByTestId('session')
  if (await session.getByRole('button', { name: 'Sign out' }).count())
    await session.getByRole('button', { name: 'Sign out' }).click()
  const form = page.getByTestId('sign-in')
  await form.getByLabel('User').fill(user)
  await form.getByLabel('Password').fill(PASSWORD)
  await form.getByRole('button', { name: 'Sign in' }).click()
  await expect.poll(() => session.innerText(), { timeout: 10_000 }).toMatch(new RegExp(`^${user}`))
}

describe('system health and role-aware navigation on `vigil serve`, in Chromium', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: SPEED })
    ;({ served, page, problems } = ui)
  })

  afterAll(async () => {
    admin?.close()
    await ui?.close()
  })

  it('shows latency, throughput from successive readings, memory, sources with their rates and the store', async () => {
    await page.goto(`${served.origin}/#/health`)
    const view = page.getByTestId('health-view')
    await view.waitFor({ timeout: 20_000 })
    // Rates need two readings, two seconds apart.
    await expect
      .poll(() => page.getByTestId('throughput').innerText(), { timeout: 15_000 })
      .toMatch(/[1-9][\d.,]* samples\/s/)
    expect(await page.getByTestId('latency').innerText()).toMatch(/\d+\.\d+ ms\s+p95 \d+\.\d+ ms · p99/)
    expect(await page.getByTestId('memory').innerText()).toMatch(/MiB\s+heap [\d.]+ MiB of/)
    const pump = page.locator('[data-testid=sources] tr[data-asset="P-101"]')
    expect(await pump.innerText()).toMatch(/simulator\s+running/)
    await expect
      .poll(() => pump.getByTestId('source-rate').innerText(), { timeout: 10_000 })
      .toMatch(/^[1-9]/)
    await expect
      .poll(() => page.getByTestId('store-state').innerText(), { timeout: 15_000 })
      .toMatch(/^committing/)
    expect(await page.getByTestId('health-models').innerText()).toMatch(/pump-ae v1\.0\.0/)
    // The pump autoencoder's sessions, one per worker thread that has scored a pump, and no more than one per
    // model per thread (not flagged as a leak).
    await expect
      .poll(() => page.getByTestId('pipeline').innerText(), { timeout: 10_000 })
      .toMatch(/Model sessions open\s+[1-9]\d* \(at most [1-9]\d*: \d+ models × \d+ threads\)/)
    const sessionsRow = page.locator('[data-testid=pipeline] tr', { hasText: 'Model sessions open' })
    expect(await sessionsRow.locator('td.cell-warning').count()).toBe(0)
    await page.waitForTimeout(500)
    await screenshot(page, 'health-admin')
  })

  it('offers each role its own views once accounts exist, and refuses a typed-in view the role does not use', async () => {
    // The first account is an admin made on an open console; it then makes the others.
    admin = createWsClient({ url: `ws://127.0.0.1:${served.port}/ws?token=${served.token}` })
    assetIds = (await admin.call('plant.describe', {})).assets.map((a) => a.id)
    await admin.call('users.create', { name: 'ada', role: 'admin', password: PASSWORD })
    for (const [name, role] of [
      ['otto', 'operator'],
      ['erin', 'engineer'],
      ['mona', 'management'],
    ] as const)
      await admin.call('users.create', { name, role, password: PASSWORD })

    await page.goto(`${served.origin}/#/overview`)
    await signInAs('otto')
    await expect
      .poll(navLinks, { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['Overview', 'Alarms', 'History']))
    for (const v of ['System health', 'Models', 'Import', 'Maintenance'])
      expect(await navLinks()).not.toContain(v)
    expect(await page.locator('.topbar nav a', { hasText: 'P-101' }).count()).toBe(1)
    await page.goto(`${served.origin}/#/health`)
    expect(await page.getByTestId('not-for-role').innerText()).toMatch(
      /“System health” is not among the views of the operator role/,
    )
    await screenshot(page, 'nav-operator')

    await signInAs('mona')
    await expect.poll(navLinks, { timeout: 10_000 }).toContain('Maintenance')
    for (const v of ['Alarms', 'History', 'Models', 'System health'])
      expect(await navLinks()).not.toContain(v)

    await signInAs('erin')
    await expect.poll(navLinks, { timeout: 10_000 }).toContain('Models')
    expect(await navLinks()).not.toContain('System health')

    await signInAs('ada')
    await expect.poll(navLinks, { timeout: 10_000 }).toContain('System health')
    expect(await navLinks()).not.toContain('Alarms')
    // An admin opening Vigil lands on system health.
    await page.goto(`${served.origin}/`)
    await page.getByTestId('health-view').waitFor({ timeout: 10_000 })
  })

  it('ran without a page error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([])
  })
})
