import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

const signIn = async (user: string, password: string) => {
  // A fresh tab's session: no stored sign-in, no route, so the role's landing view opens.
  await page.evaluate(() => sessionStorage.clear())
  await page.goto(`${served.origin}/`)
  await page.getByLabel('User').fill(user)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('users, audit and the role landing views on `vigil serve`, in Chromium', () => {
  beforeAll(async () => {
    ui = await openUi({ speed: 60 })
    ;({ served, page, problems } = ui)
  })

  afterAll(async () => {
    await ui?.close()
  })

  it('creates the first admin and two users in the Users view, and resets a password', async () => {
    await page.goto(`${served.origin}/#/users`)
    const form = page.getByTestId('user-create')
    const create = async (name: string, role: string, password: string) => {
      await form.getByLabel('User name').fill(name)
      await form.getByLabel('Role').selectOption(role)
      await form.getByLabel('Password').fill(password)
      await form.getByRole('button', { name: 'Create' }).click()
      await page.getByTestId(`user-${name}`).waitFor({ timeout: 10_000 })
    }
    await create('anita', 'admin', 'admin-pass-1')
    await create('hari', 'plant-head', 'head-pass-1')
    await create('mona', 'management', 'money-pass-1')
    const row = page.getByTestId('user-hari')
    await row.getByLabel('New password for hari').fill('head-pass-2')
    await row.getByRole('button', { name: 'Reset' }).click()
    await expect
      .poll(() => page.getByTestId('users-done').innerText(), { timeout: 10_000 })
      .toMatch(/updated hari/)
    await screenshot(page, 'users')
  })

  it('shows the audit trail of those changes, filtered by action, with the password blanked', async () => {
    await page.goto(`${served.origin}/#/audit`)
    await page.getByLabel('Action').fill('users.update')
    const rows = page.locator('[data-testid=audit] tbody tr')
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)
    const text = await rows.first().innerText()
    expect(text).toMatch(/anita\s+admin\s+users\.update\s+hari\s+ok/)
    expect(text).toContain('***')
    expect(text).not.toContain('head-pass-2')
    await page.getByLabel('Action').fill('')
    await screenshot(page, 'audit')
  })

  it('lands the plant head on operations and management on financial risk', async () => {
    await signIn('hari', 'head-pass-2')
    await page.getByTestId('plant-head-view').waitFor({ timeout: 10_000 })
    await page.getByTestId('availability').waitFor()
    const table = await page.getByTestId('availability').innerText()
    expect(table).toMatch(/P-101\s+100\.0 %/)
    expect(table).toMatch(/no RUL model|no prediction yet|\d+ (cycles|hours)/)
    expect(await page.getByTestId('fp-rate').innerText()).toMatch(/0 false of 0 operator verdicts/)
    await screenshot(page, 'plant-head')

    await signIn('mona', 'money-pass-1')
    await page.getByTestId('management-view').waitFor({ timeout: 10_000 })
    await page.getByTestId('risk').waitFor()
    expect(await page.getByTestId('risk').innerText()).toMatch(/P-101\s+—\s+no open finding/)
    await screenshot(page, 'management')
    // Management does not use the audit trail: typed into the address bar, the view says so.
    await page.goto(`${served.origin}/#/audit`)
    await page.getByTestId('not-for-role').waitFor({ timeout: 10_000 })
    expect(problems).toEqual([])
  })
})
