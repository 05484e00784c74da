import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

// Five simulated minutes per wall second: enough normal running to fit on within seconds.
const SPEED = 300
// `vigil serve` writes fitted models under the user-data folder: here, a temporary one.
const config = mkdtempSync(join(tmpdir(), 'vigil-e2e-config-'))
const userModels = join(config, 'Vigil', 'models')

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

describe('the models view on `vigil serve`, in Chromium', () => {
  beforeAll(async () => {
    process.env.XDG_CONFIG_HOME = config
    ui = await openUi({ speed: SPEED })
    ;({ served, page, problems } = ui)
    await page.waitForTimeout(5000)
  })

  afterAll(async () => {
    await ui?.close()
    rmSync(config, { recursive: true, force: true })
  })

  it("shows the pump model's card: what it reads, its threshold, how it splits the error, its data and metrics", async () => {
    await page.goto(`${served.origin}/#/models`)
    const card = page.getByTestId('model-pump-ae')
    await card.waitFor({ timeout: 20_000 })
    const text = await card.innerText()
    expect(text).toMatch(/Scores\s+P-101/)
    expect(text).toMatch(/Reads\s+10 tags × 30 samples per window/)
    expect(text).toMatch(/Threshold\s+0\.0708: 99th percentile/)
    expect(text).toMatch(/Contributions\s+per window, sensor j counts/)
    expect(text).toMatch(/falseAlarmRate \(val\)\s+0\.71 %/)
    await screenshot(page, 'models')
  })

  it('fits a baseline detector on the last hour of P-101, scores with it at once and says how to keep it', async () => {
    const panel = page.getByTestId('fit-panel')
    // By id: the panel also has a select for the fitting method.
    await panel.locator('#fit-asset').selectOption('P-101')
    await panel.getByRole('button', { name: 'last 1 h' }).click()
    await panel.getByLabel('Model id').fill('p101-e2e')
    await page.getByTestId('fit-start').click()
    const result = page.getByTestId('fit-result')
    await result.waitFor({ timeout: 30_000 })
    expect(await result.innerText()).toMatch(/Fitted “p101-e2e” on [\d,]+ rows/)
    expect(await page.getByTestId('fit-next').innerText()).toMatch(
      /scoring P-101 from now on\. To keep it after a restart, add "p101-e2e" to the models of P-101 in the plant configuration/,
    )
    const card = JSON.parse(readFileSync(join(userModels, 'p101-e2e', 'model.json'), 'utf8')) as {
      kind: string
    }
    expect(card.kind).toBe('pca')
    expect(existsSync(join(userModels, 'p101-e2e', 'model.onnx'))).toBe(true)
    // The engine's 'models' message: the list shows its card, scoring P-101, with no reload.
    const listed = page
      .getByTestId('model-list')
      .getByTestId('model-p101-e2e')
      .filter({ hasText: /Scores\s*P-101/ })
    // The fit's own card says it scores P-101 now, not "after a restart".
    expect(await result.getByTestId('model-p101-e2e').innerText()).toMatch(/Scores\s*P-101/)
    await listed.waitFor({ timeout: 10_000 })
    await page.getByTestId('fit-result').scrollIntoViewIfNeeded()
    await screenshot(page, 'models-fitted')
  })

  it('names bearing temperature or vibration as carrying the error once bearing wear sets in', async () => {
    await page.goto(`${served.origin}/#/asset/P-101`)
    const control = page.getByTestId('fault-control')
    await control.getByTestId('fault-ramp').selectOption('0')
    await control.locator('[data-fault=bearing_wear]').click()
    await expect
      .poll(() => page.getByTestId('score-chart').getAttribute('data-state'), {
        timeout: 30_000,
        interval: 500,
      })
      .toBe('ANOMALY')
    await page.waitForTimeout(2000)
    await page.goto(`${served.origin}/#/models`)
    const panel = page.getByTestId('contributions')
    await panel.locator('select').selectOption('P-101')
    await panel.getByRole('button', { name: 'last 10 min' }).click()
    await panel.getByRole('button', { name: 'Show distribution' }).click()
    const summary = page.getByTestId('contrib-pump-ae')
    await summary.waitFor({ timeout: 20_000 })
    expect(await summary.innerText()).toMatch(/[\d,]+ windows, [1-9][\d,]* ANOMALY/)
    const first = await summary.locator('tbody tr').first().getAttribute('data-tag')
    expect(first).toMatch(/^(Vibration_mm_s|Bearing_Temperature_C)$/)
    await summary.scrollIntoViewIfNeeded()
    await screenshot(page, 'models-distribution')
  })

  it('ran without a page error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([])
  })
})
