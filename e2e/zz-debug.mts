import { launchBrowser } from '/work/main/e2e/browser.ts'
import { startServe } from '/work/main/e2e/serve.ts'
const served = await startServe({ speed: 30 })
const browser = await launchBrowser()
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  await page.goto(served.url.replace('/?', '/?') )
  await page.goto(`${served.origin}/#/asset/P-101`)
  await page.getByTestId('fault-control').waitFor()
  await page.getByTestId('fault-ramp').selectOption('0')
  await page.locator('[data-fault=bearing_wear]').click()
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(700)
    const r = await page.evaluate(() => {
      const a = (window as any).__live.getState().assets['P-101']
      const rows = [...document.querySelectorAll('[data-testid=sensor-table] tbody tr')].map((tr) => tr.children[3]!.textContent)
      return { store: Array.from(a.score?.sensorState ?? []), table: rows, rev: a.rev }
    })
    console.log(JSON.stringify(r))
  }
  await page.screenshot({ path: '/tmp/debug.png' })
} finally {
  await browser.close()
  await served.stop()
}
