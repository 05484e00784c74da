import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { NAB, SKAB } from '../src/main/import/test-files.ts'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

describe('the import wizard on `vigil serve`, in Chromium', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: 1, viewport: { width: 1600, height: 1000 } })
    ;({ served, page, problems } = ui)
  })

  afterAll(async () => {
    await ui?.close()
  })

  it('previews a file with the detected types and first rows, then imports it with progress', async () => {
    await page.goto(`${served.origin}/#/import`)
    const view = page.getByTestId('import-view')
    await view.waitFor()
    await view.getByLabel('File').fill(SKAB)
    await view.getByLabel('Asset').fill('skab-testbed')
    await view.getByRole('button', { name: 'Preview' }).click()
    const rows = page.getByTestId('import-rows')
    await rows.waitFor()
    expect(await rows.locator('thead th').nth(2).innerText()).toMatch(/datetime\s+date & time/)
    expect(await rows.locator('tbody tr').count()).toBe(20)
    expect(await page.getByTestId('import-format').innerText()).toMatch(/asset is new/)
    await expect
      .poll(() => page.getByLabel('tag for Volume Flow RateRMS').inputValue())
      .toBe('Volume_Flow_RateRMS')
    await page.getByLabel('unit of Temperature').fill('C')
    await screenshot(page, 'import-preview')
    await page.getByTestId('import-start').click()
    const job = page.getByTestId('import-job')
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
    expect(await page.getByTestId('import-progress').innerText()).toMatch(
      /100% · 9,405 rows · [\d,]+ rows\/s · 0 rejected/,
    )
    await job.getByRole('button', { name: 'Export report (CSV)' }).waitFor()
    await screenshot(page, 'import-done')
  })

  it('lists the bad rows with their lines and reasons, and exports the report', async () => {
    await page.getByRole('button', { name: 'Import another file' }).click()
    const view = page.getByTestId('import-view')
    await view.getByLabel('File').fill(NAB)
    await view.getByLabel('Asset').fill('nab')
    await view.getByRole('button', { name: 'Preview' }).click()
    await page.getByTestId('import-start').click()
    const bad = page.getByTestId('import-bad-rows')
    await bad.waitFor({ timeout: 30_000 })
    expect(await bad.locator('tbody tr').count()).toBe(11)
    expect(await bad.locator('tbody tr').first().innerText()).toMatch(/^10151\s+backwards/)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export report (CSV)' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('machine_temperature_system_failure.import-report.csv')
    await screenshot(page, 'import-bad-rows')
    expect(problems).toEqual([])
  })
})
