import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

/*
 * Every view at 1920x1080, in both themes, saved under test-results/screenshots/views-*.png
 * to be looked at; the Assistant explaining an injected fault, reached from the alarm list
 * and from the asset view; the alarm sound setting; a CSV export through the one download helper.
 */

// Simulated seconds per wall second: a fault develops within the test's waits.
const SPEED = 60

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

/** The routes the navigation offers (views added later are visited without changing this test). */
const navRoutes = (p: Page) =>
  p.locator('.topbar nav a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).hash))

const setTheme = async (p: Page, theme: 'office' | 'control-room') => {
  await p.getByTestId('display-settings').locator('summary').click()
  await p.locator(`input[name=theme][value=${theme}]`).check()
  await p.getByTestId('display-settings').locator('summary').click()
  await expect.poll(() => p.evaluate(() => document.documentElement.dataset.theme)).toBe(theme)
}

describe('every view in Chromium at 1920x1080', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: SPEED, acceptDownloads: true })
    ;({ served, page, problems } = ui)
    await page.getByTestId('tile-P-101').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await ui?.close()
  })

  it('explains injected bearing wear in the Assistant, from the asset view', async () => {
    await page.goto(`${served.origin}/#/asset/P-101`)
    const control = page.getByTestId('fault-control')
    await control.getByTestId('fault-ramp').selectOption('0')
    await control.locator('[data-fault=bearing_wear]').click()
    await expect
      .poll(() => page.getByTestId('score-chart').getAttribute('data-state'), {
        timeout: 90_000,
        interval: 500,
      })
      .toBe('ANOMALY')
    // A few simulated minutes for the bearing's temperature to follow its vibration.
    await page.waitForTimeout(5000)
    await page.getByTestId('explain-asset').click()
    await page.getByTestId('assistant-view').waitFor()
    expect(page.url()).toMatch(/#\/assistant\/P-101$/)
    const summary = page.getByTestId('assistant-summary')
    await expect.poll(() => summary.innerText(), { timeout: 20_000 }).toMatch(/ANOMALY for/)
    const first = await page
      .locator('[data-testid=assistant-contributors] tbody tr')
      .first()
      .getAttribute('data-tag')
    expect(['Vibration_mm_s', 'Bearing_Temperature_C']).toContain(first)
    const cause = await page
      .locator('[data-testid=assistant-causes] li.cause')
      .first()
      .getAttribute('data-cause')
    expect(['lubrication', 'bearing-wear', 'misalignment']).toContain(cause)
    await screenshot(page, 'views-assistant-asset')
  })

  it('opens the Assistant for a selected alarm from the alarm list (key E)', async () => {
    await page.goto(`${served.origin}/#/alarms`)
    const rows = page.locator('[data-testid=alarms-view] tbody tr')
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0)
    await rows.first().click()
    await page.getByTestId('alarm-detail').waitFor()
    await screenshot(page, 'views-alarms-selected')
    await page.keyboard.press('e')
    await page.getByTestId('assistant-view').waitFor()
    expect(decodeURIComponent(page.url())).toMatch(/#\/assistant\/P-101\/P-101\//)
    await expect
      .poll(() => page.getByTestId('assistant-summary').locator('h2').innerText(), { timeout: 20_000 })
      .toMatch(/^(CRITICAL|HIGH|MEDIUM|LOW) /)
    await screenshot(page, 'views-assistant-alarm')
  })

  it('shows every view of the navigation in the office and the control-room theme', async () => {
    await page.goto(`${served.origin}/#/overview`)
    const routes = await navRoutes(page)
    expect(routes.length).toBeGreaterThanOrEqual(10)
    for (const theme of ['office', 'control-room'] as const) {
      await setTheme(page, theme)
      for (const r of routes) {
        await page.goto(`${served.origin}/${r}`)
        await page.locator('main > *').first().waitFor()
        // Let live charts draw a few frames and queries answer.
        await page.waitForTimeout(1200)
        expect(await page.locator('main').innerText()).not.toMatch(/No view named/)
        await screenshot(page, `views-${theme}-${r.replace(/^#\//, '').replace(/[^\w-]+/g, '_')}`)
      }
    }
    // The choice survives a reload (local storage).
    await page.reload()
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('control-room')
    await setTheme(page, 'office')
  }, 300_000)

  it('sounds new alarms only once the setting is on, and keeps the setting across a reload', async () => {
    await page.goto(`${served.origin}/#/overview`)
    const tones = () => page.evaluate(() => Number(document.documentElement.dataset.alarmTones ?? 0))
    expect(await tones()).toBe(0)
    await page.getByTestId('display-settings').locator('summary').click()
    await page.getByTestId('alarm-sound').check()
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('display-settings').getAttribute('open')).toBeNull()
    await page.reload()
    await page.getByTestId('display-settings').locator('summary').click()
    expect(await page.getByTestId('alarm-sound').isChecked()).toBe(true)
    // A click elsewhere closes the menu, so it never hides the view's own controls.
    await page.locator('main').click({ position: { x: 5, y: 5 } })
    // A new fault raises new alarms: cavitation pulls suction pressure under its limit.
    await page.goto(`${served.origin}/#/asset/P-101`)
    const control = page.getByTestId('fault-control')
    await control.getByRole('button', { name: 'Clear all' }).click()
    await control.getByTestId('fault-ramp').selectOption('0')
    await control.locator('[data-fault=cavitation]').click()
    await expect.poll(tones, { timeout: 90_000, interval: 500 }).toBeGreaterThan(0)
  })

  it('exports the maintenance work orders as a CSV download', async () => {
    await page.goto(`${served.origin}/#/maintenance`)
    const button = page.getByRole('button', { name: /Export/ })
    await button.waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
    expect(download.suggestedFilename()).toMatch(/^vigil-work-orders-.*\.csv$/)
  })

  it('ran every view without a page error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([])
  })
})
