import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { certificateInfo, simPkiDir } from '../src/main/opcua/pki.ts'
import { startSimServer, type SimServer } from '../src/main/opcua/sim-server.ts'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

/*
 * The OPC UA browser in the Sources view, in Chromium against `vigil serve`: an untrusted
 * server is shown with its certificate, trusted with one click, then its address space is
 * walked and a variable picked, giving the plant file's source block.
 */

const home = mkdtempSync(join(tmpdir(), 'vigil-e2e-opcua-home-'))
const simDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-opcua-sim-'))
let served: Served
let sim: SimServer
let ui: OpenUi | undefined
let page: Page
let problems: string[]
let savedHome: string | undefined

beforeAll(async () => {
  // `vigil serve` keeps its OPC UA trust list under the user data folder: a throwaway one here.
  savedHome = process.env.XDG_CONFIG_HOME
  process.env.XDG_CONFIG_HOME = home
  sim = await startSimServer({ dataDir: simDir })
  ui = await openUi({ speed: 1, viewport: { width: 1600, height: 1000 } })
  ;({ served, page, problems } = ui)
}, 120_000)

afterAll(async () => {
  await ui?.close()
  await sim?.stop()
  if (savedHome === undefined) delete process.env.XDG_CONFIG_HOME
  else process.env.XDG_CONFIG_HOME = savedHome
  rmSync(home, { recursive: true, force: true })
  rmSync(simDir, { recursive: true, force: true })
})

describe('browsing an OPC UA server from the Sources view', () => {
  it('shows an untrusted certificate, trusts it on request, then walks the tree to a source block', async () => {
    await page.goto(`${served.origin}/#/sources`)
    const b = page.getByTestId('opcua-browser')
    await b.getByLabel('Endpoint').fill(sim.endpoint)
    await b.getByRole('button', { name: 'Browse' }).click()

    const own = join(simPkiDir(simDir), 'own', 'certs')
    const pem = readdirSync(own).find((f) => f.endsWith('.pem'))!
    const { thumbprint } = certificateInfo(new X509Certificate(readFileSync(join(own, pem))).raw)
    const warning = b.getByTestId('opcua-untrusted')
    await expect.poll(() => warning.innerText(), { timeout: 30_000 }).toContain(thumbprint)
    await screenshot(page, 'opcua-untrusted')

    await warning.getByRole('button', { name: 'Trust this certificate' }).click()
    await b.getByRole('button', { name: /Plant/ }).click({ timeout: 30_000 })
    await b.getByRole('button', { name: /P-101/ }).click({ timeout: 15_000 })
    const rpm = b.getByRole('row', { name: /Motor speed/ })
    await rpm.getByRole('checkbox').check({ timeout: 15_000 })
    await expect.poll(() => b.getByText(/^Session security:/).innerText()).toMatch(/SignAndEncrypt/)
    const block = JSON.parse(await b.getByTestId('opcua-block').innerText()) as Record<string, unknown>
    expect(block).toMatchObject({
      kind: 'opcua',
      endpoint: sim.endpoint,
      nodes: { 'ns=1;s=P-101.Motor_RPM': 'Motor_RPM' },
    })
    await screenshot(page, 'opcua-browser')
    expect(problems).toEqual([])
  }, 90_000)
})
