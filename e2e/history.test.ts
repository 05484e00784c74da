import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

// Five simulated minutes per wall second: an hour of pump history in twelve seconds.
const SPEED = 300

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

const status = () => page.getByTestId('history-status')
const resolution = () => page.getByTestId('history-resolution').innerText()
/** The first tag chart's plot area (the score chart comes first). */
const tagPlot = () => page.locator('[data-testid^="history-chart-unit:"] .u-over').first()
const shown = async () => (await status().innerText()).split('\n')[0] ?? ''

describe('the history view on `vigil serve`, in Chromium', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: SPEED, acceptDownloads: true })
    ;({ served, page, problems } = ui)
    // Let some history gather before the view reads it.
    await page.waitForTimeout(6000)
  })

  afterAll(async () => {
    await ui?.close()
  })

  it('draws the last hour of P-101: the score and every tag by unit, from at most a bucket per pixel', async () => {
    await page.goto(`${served.origin}/#/history/P-101`)
    await page.getByTestId('history-view').waitFor()
    await expect.poll(resolution, { timeout: 20_000 }).toMatch(/^(raw|min–max)/)
    // The anomaly score, then six charts: the pump's ten tags grouped by unit.
    await expect.poll(() => page.locator('.history-chart').count(), { timeout: 10_000 }).toBe(7)
    expect(await page.getByTestId('history-chart-score:pump-ae').count()).toBe(1)
    const points = Number(/([\d,]+)/.exec(await resolution())![1]!.replaceAll(',', ''))
    const plotPx = await tagPlot().evaluate((el) => el.clientWidth)
    expect(points).toBeGreaterThan(100)
    expect(points / plotPx).toBeLessThanOrEqual(1.2)
    await screenshot(page, 'history')
  })

  it('reads a day decimated to min and max per bucket, and zooms into a dragged range', async () => {
    const hour = await shown()
    await page.locator('[data-preset="24h"]').click()
    await expect.poll(shown, { timeout: 10_000 }).not.toBe(hour)
    expect(await resolution()).toMatch(/^min–max of [\d,]+ buckets per tag/)
    const before = await shown()
    const box = (await tagPlot().boundingBox())!
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 8 })
    await page.mouse.up()
    await expect.poll(shown, { timeout: 10_000 }).not.toBe(before)
    expect(await page.getByRole('button', { name: 'Back' }).isEnabled()).toBe(true)
    await page.getByRole('button', { name: 'Back' }).click()
    await expect.poll(shown, { timeout: 10_000 }).toBe(before)
  })

  it('overlays the period before as a second, dashed envelope', async () => {
    const day = await shown()
    await page.locator('[data-preset="1h"]').click()
    await expect.poll(shown, { timeout: 10_000 }).not.toBe(day)
    // The newest stretch of data, compared with the stretch as long just before it.
    const plot = tagPlot()
    const box = (await plot.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 8 })
    await page.mouse.up()
    await page.getByTestId('history-compare').selectOption('previous')
    await expect
      .poll(() => page.getByTestId('history-compared').innerText(), { timeout: 10_000 })
      .toMatch(/: [1-9][\d,]* (samples|buckets)/)
    const legend = page.locator('[data-testid="history-chart-unit:°C"] .u-legend')
    await expect
      .poll(() => legend.innerText(), { timeout: 10_000 })
      .toMatch(/Bearing temperature \(period before\)/)
    await screenshot(page, 'history-compare')
    await page.getByTestId('history-compare').selectOption('none')
    await expect.poll(() => legend.innerText(), { timeout: 10_000 }).not.toMatch(/period before/)
  })

  it('pins a note at a clicked moment and draws it on the charts', async () => {
    const plot = tagPlot()
    const [w, h] = await plot.evaluate((el) => [el.clientWidth, el.clientHeight])
    await plot.click({ position: { x: w! * 0.5, y: h! * 0.5 } })
    await expect
      .poll(() => page.getByTestId('picked-time').innerText(), { timeout: 5000 })
      .toMatch(/^At \d{4}-\d\d-\d\d/)
    await page.getByLabel('Annotation').fill('Opened the discharge valve')
    await page.getByRole('button', { name: 'Add note' }).click()
    const notes = page.getByTestId('annotations')
    await expect
      .poll(() => notes.innerText(), { timeout: 10_000 })
      .toMatch(/Opened the discharge valve\s+local/)
    await screenshot(page, 'history-annotated')
  })

  it('exports the range shown as a CSV download', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('history-export').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^P-101.*\.csv$/)
    const text = readFileSync((await download.path())!, 'utf8')
    const [header, first] = text.split('\n')
    expect(header).toMatch(/^time,Motor_RPM,Bearing_Temperature_C/)
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('ran without a page error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([])
  })
})
