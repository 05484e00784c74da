import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import { startServe, type Served } from './serve.ts'

// Simulated seconds per wall second: a minute of pump life every two seconds keeps the
// waits short without changing what the models see.
const SPEED = 30

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

const sensorValues = (p: Page) => p.locator('[data-testid=sensor-table] td.value').allInnerTexts()

describe('the control-room UI on `vigil serve`, in Chromium', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: SPEED, viewport: { width: 1600, height: 1000 }, blank: true })
    ;({ served, page, problems } = ui)
  })

  afterAll(async () => {
    // The reconnect test replaces the server openUi started: stop the one running now.
    await ui?.browser.close()
    await served?.stop()
  })

  it('opens the overview from the printed URL and shows P-101 with its health', async () => {
    await page.goto(served.url)
    // The server trades the token for a cookie and takes it out of the address bar.
    expect(page.url()).not.toContain('token=')
    const tile = page.getByTestId('tile-P-101')
    await tile.waitFor({ timeout: 20_000 })
    await expect
      .poll(() => tile.getByTestId('health').innerText(), { timeout: 30_000 })
      .toMatch(/^(NORMAL|ANOMALY)$/)
    // The source's state comes in its own status message, which may arrive after the first scores.
    await expect
      .poll(() => tile.getByTestId('source-state').innerText(), { timeout: 10_000 })
      .toMatch(/running/)
    expect(await tile.getByTestId('score').innerText()).toMatch(/^\d/)
    await screenshot(page, 'overview')
  })

  it('shows live sensor values changing within a few seconds on the asset view', async () => {
    await page.getByTestId('tile-P-101').click()
    await page.getByTestId('asset-view').waitFor()
    expect(page.url()).toMatch(/#\/asset\/P-101$/)
    await expect.poll(async () => (await sensorValues(page)).filter((v) => v !== '—').length).toBe(10)
    const before = await sensorValues(page)
    await expect
      .poll(async () => (await sensorValues(page)).join('|'), { timeout: 10_000 })
      .not.toBe(before.join('|'))
    expect(await page.locator('.trend-grid figure').count()).toBe(6)
    await screenshot(page, 'asset')
  })

  it('turns the score chart and the overview tile abnormal after bearing wear is injected from the fault control', async () => {
    const control = page.getByTestId('fault-control')
    await control.getByTestId('fault-ramp').selectOption('0')
    await control.locator('[data-fault=bearing_wear]').click()
    await expect.poll(() => page.getByTestId('active-faults').innerText()).toMatch(/Bearing wear/)
    // The model needs its windows filled with worn-bearing data: about a minute of simulated time.
    await expect
      .poll(() => page.getByTestId('score-chart').getAttribute('data-state'), {
        timeout: 90_000,
        interval: 500,
      })
      .toBe('ANOMALY')
    await expect.poll(() => page.getByTestId('asset-view').getByTestId('health').innerText()).toBe('ANOMALY')
    await page.waitForTimeout(1500) // let the trends draw a little of the fault for the screenshot
    await screenshot(page, 'asset-bearing-wear')

    await page.locator('.topbar nav a', { hasText: 'Overview' }).click()
    const tile = page.getByTestId('tile-P-101')
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 20_000 }).toBe('ANOMALY')
    expect(await page.getByTestId('abnormal-P-101').innerText()).toMatch(/P-101 ANOMALY/)
    await screenshot(page, 'overview-anomaly')
  })

  it('clears the injected fault from the fault control', async () => {
    await page.goto(`${served.origin}/#/asset/P-101`)
    const control = page.getByTestId('fault-control')
    await control.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(() => control.innerText()).toMatch(/None: the asset runs as built/)
  })

  it('shows the engine health numbers', async () => {
    await page.goto(`${served.origin}/#/health`)
    const view = page.getByTestId('health-view')
    await view.waitFor()
    await expect.poll(() => view.innerText()).toMatch(/Samples in\s+[1-9]/)
    await screenshot(page, 'health')
  })

  it('refuses the page and the WebSocket to a browser without the token', async () => {
    const stranger = await ui!.browser.newContext()
    try {
      const p = await stranger.newPage()
      const res = await p.goto(served.origin + '/')
      expect(res?.status()).toBe(401)
      expect(await p.content()).toMatch(/access token/)
      const ws = await p.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const s = new WebSocket(`ws://${location.host}/ws`)
            s.onopen = () => resolve('open')
            s.onclose = () => resolve('closed')
          }),
      )
      expect(ws).toBe('closed')
    } finally {
      await stranger.close()
    }
  })

  it('says the engine is unreachable while the server is down, then resynchronises when it is back', async () => {
    await page.goto(`${served.origin}/#/asset/P-101`)
    await page.getByTestId('asset-view').waitFor()
    await expect.poll(async () => (await sensorValues(page)).filter((v) => v !== '—').length).toBe(10)
    const { port, token, dir } = served
    await served.stop({ keepDir: true })
    const banner = page.getByTestId('disconnected')
    await banner.waitFor({ timeout: 20_000 })
    expect(await banner.innerText()).toMatch(/Disconnected from the engine.*Reconnecting/s)
    expect(await page.getByTestId('connection').innerText()).toBe('Disconnected')
    await screenshot(page, 'disconnected')

    // Same port, token and database: the page's cookie still opens it.
    served = await startServe({ speed: SPEED, port, token, dir })
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 30_000 }).toBe('Connected')
    expect(await banner.count()).toBe(0)
    const before = (await sensorValues(page)).join('|')
    await expect.poll(async () => (await sensorValues(page)).join('|'), { timeout: 10_000 }).not.toBe(before)
  })

  it('ran every view without a page error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([])
  })
})
