import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

/*
 * The predictors in front of users, live from `vigil serve --demo` in Chromium at 1920x1080:
 * the Optimizer with C-201's setpoint advice (accepted into the audit trail), Quality with
 * CC-1's casts and the models compared, the compressor's remaining life on its asset view and
 * the overview. Screenshots go to test-results/screenshots/predictions-*.png to be looked at.
 */

// Simulated seconds per wall second: advice every 5 s, a cast every few seconds, RUL each second.
const SPEED = 60

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

describe('predictions in the UI', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: SPEED })
    ;({ served, page, problems } = ui)
    await page.getByTestId('tile-C-201').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await ui?.close()
  })

  it('shows C-201 advice in the Optimizer and records an accepted suggestion', async () => {
    // The demo compressor runs near its best; guide vanes held at 60 % leave power to save.
    await page.goto(`${served.origin}/#/sources`)
    const row = page.getByTestId('setpoints').locator('table', { hasText: 'C-201' }).locator('tr', {
      hasText: 'IGV_Position_pct',
    })
    // The panel reads the setpoints after the page opens: set again until the row says held.
    for (let tries = 0; tries < 10 && !/held/.test(await row.innerText()); tries++) {
      await row.getByLabel('IGV_Position_pct setpoint').fill('60')
      await row.getByRole('button', { name: 'Set' }).click()
      await page.waitForTimeout(500)
    }
    expect(await row.innerText()).toMatch(/held/)
    await page.goto(`${served.origin}/#/optimizer`)
    const panel = page.getByTestId('suggestion-C-201')
    await panel.waitFor({ timeout: 60_000 })
    await panel.getByTestId('accept').waitFor({ timeout: 60_000 })
    await expect.poll(() => panel.getByTestId('gain').innerText()).toMatch(/\d+ kW/)
    expect(await panel.locator('[data-testid=margins] tbody tr').count()).toBe(3)
    await screenshot(page, 'predictions-optimizer')
    await panel.getByLabel('Note').fill('moving on the DCS now')
    await panel.getByTestId('accept').click()
    // The recent list names who accepted, from the audit trail, even after newer advice arrived.
    await expect
      .poll(() => page.getByTestId('recent-advice').innerText(), { timeout: 15_000 })
      .toMatch(/accepted by local/)
    await expect.poll(() => page.locator('[data-testid=recent-advice] tbody tr').count()).toBeGreaterThan(1)
  })

  it('shows CC-1 casts with their defect probability and the models compared in Quality', async () => {
    await page.goto(`${served.origin}/#/quality`)
    await page.getByTestId('quality-view').waitFor()
    await expect
      .poll(() => page.locator('[data-testid=casts] tbody tr').count(), { timeout: 60_000 })
      .toBeGreaterThan(3)
    const first = await page.locator('[data-testid=casts] tbody tr').first().innerText()
    expect(first).toMatch(/^\d+\s.*\s0\.\d{3}\s/)
    const models = page.locator('[data-testid=model-comparison] tr[data-model]')
    expect(await models.count()).toBe(3)
    expect(await models.first().innerText()).toMatch(/XGBoost baseline.*0\.9\d{3}/)
    await page.getByTestId('reliability').waitFor()
    expect(await page.locator('[data-testid=cast-history] circle').count()).toBeGreaterThan(3)
    await screenshot(page, 'predictions-quality')
  })

  it('shows the compressor remaining life with its band on the asset view and the overview tile', async () => {
    await page.goto(`${served.origin}/#/asset/C-201`)
    await expect
      .poll(
        () =>
          page
            .getByTestId('rul-value')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(/^\d+ h$/)
    expect(await page.locator('[data-testid=rul-trend] path.band').count()).toBe(1)
    await page.getByTestId('asset-suggestion').waitFor()
    await screenshot(page, 'predictions-asset-C-201')
    await page.goto(`${served.origin}/#/asset/CC-1`)
    await expect
      .poll(() => page.locator('[data-testid=asset-defects] tbody tr').count(), { timeout: 30_000 })
      .toBeGreaterThan(0)
    await screenshot(page, 'predictions-asset-CC-1')
    await page.goto(`${served.origin}/#/`)
    await expect
      .poll(() => page.getByTestId('tile-C-201').getByTestId('tile-rul').innerText(), { timeout: 20_000 })
      .toMatch(/RUL \d+ h ± \d+ h/)
    expect(await page.getByTestId('tile-P-101').getByTestId('tile-rul').count()).toBe(0)
    // CC-1 has no window detector: not scored, rather than waiting for data that never comes.
    expect(await page.getByTestId('tile-CC-1').getByTestId('health').innerText()).toBe('NOT SCORED')
    expect(await page.getByTestId('tile-CC-1').getByTestId('tile-defect').innerText()).toMatch(
      /^Latest cast \d+: P\(defect\) \d\.\d\d \(threshold 0\.\d+\)$/,
    )
    await screenshot(page, 'predictions-overview')
    expect(problems).toEqual([])
  })
})
