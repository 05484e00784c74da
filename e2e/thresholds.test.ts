import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

// Five simulated minutes per wall second: a few seconds give the pump hundreds of scored windows.
const SPEED = 300

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

describe('calibrating a threshold on normal running in the engineering view, on `vigil serve`', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: SPEED })
    ;({ served, page, problems } = ui)
    await page.waitForTimeout(5000)
  })

  afterAll(async () => {
    await ui?.close()
  })

  it("proposes the 99th percentile of the pump's last hour and applies it as the threshold in force", async () => {
    await page.goto(`${served.origin}/#/engineering`)
    const row = page.getByTestId('calibrate-P-101-pump-ae')
    await row.waitFor({ timeout: 20_000 })
    // Predictors have no score threshold to calibrate: no row for the compressor's RUL model.
    expect(await page.getByTestId('calibrate-C-201-compressor-rul').count()).toBe(0)
    expect(await row.getByLabel('Percentile').inputValue()).toBe('99')

    await row.getByRole('button', { name: 'Calibrate' }).click()
    const result = row.getByTestId('calibration-result')
    await result.filter({ hasText: /windows/ }).waitFor({ timeout: 10_000 })
    const text = await result.innerText()
    const m =
      /^(\d+) windows[^\n]*\nproposed (\S+) \(flags \d+, [\d.]+ %\)\nin force 0\.07080 \(flags \d+, [\d.]+ %\)\ncard 0\.07080/.exec(
        text,
      )
    expect(m, text).not.toBeNull()
    expect(Number(m![1])).toBeGreaterThanOrEqual(100)
    const proposed = m![2]!
    // The advice follows the proposal against the card's 0.0708: below it, more alarms; at twice it or
    // more, perhaps calibrated on a fault; in between, none.
    const advice = row.getByTestId('calibration-advice')
    const p = Number(proposed)
    if (p < 0.0708)
      expect(await advice.innerText()).toMatch(/^Below the card's threshold \(0\.07080\): on this stretch/)
    else if (p >= 2 * 0.0708) expect(await advice.innerText()).toMatch(/× the card's threshold \(0\.07080\)/)
    else expect(await advice.count()).toBe(0)
    await screenshot(page, 'thresholds-calibrated')

    await row.getByRole('button', { name: `Apply ${proposed}` }).click()
    // The thresholds table shows it in force, accepted by the (open install's) local user.
    const inForce = new RegExp(
      `^P-101 · pump-ae\t${proposed.replace('.', '\\.')} \\(accepted by local; card 0\\.07080\\)`,
    )
    await expect
      .poll(() => page.getByTestId('threshold-P-101-pump-ae').innerText(), { timeout: 10_000 })
      .toMatch(inForce)
    expect(await result.innerText()).toMatch(new RegExp(`in force ${proposed.replace('.', '\\.')} `))
    await row.scrollIntoViewIfNeeded()
    await screenshot(page, 'thresholds-applied')
    expect(problems).toEqual([])
  })
})
