import type { Browser, Page } from 'playwright-core'
import { launchBrowser, watchProblems } from './browser.ts'
import { ensureBuilt, startServe, type ServeOptions, type Served } from './serve.ts'

/** A `vigil serve` with one Chromium page on it, as every end-to-end file starts. */
export interface OpenUi {
  served: Served
  browser: Browser
  page: Page
  /** Page errors and Content-Security-Policy violations seen so far (each file asserts none). */
  problems: string[]
  /** Closes the browser, then stops the server. */
  close(): Promise<void>
}

export interface OpenUiOptions extends ServeOptions {
  viewport?: { width: number; height: number }
  acceptDownloads?: boolean
  /** Runs on the page before it first loads Vigil (an init script must be added before navigation). */
  beforeLoad?: (page: Page) => Promise<unknown>
  /** Leave the page blank: the file navigates itself (default: open Vigil's start page). */
  blank?: boolean
}

/** Builds the UI if a source is newer, starts `vigil serve`, opens Debian's Chromium on it. */
export async function openUi(o: OpenUiOptions): Promise<OpenUi> {
  const { viewport = { width: 1920, height: 1080 }, acceptDownloads, beforeLoad, blank, ...serve } = o
  ensureBuilt()
  const served = await startServe(serve)
  let browser: Browser | undefined
  try {
    browser = await launchBrowser()
    const page = await browser.newPage({ viewport, acceptDownloads })
    const problems = watchProblems(page)
    await beforeLoad?.(page)
    if (!blank) await page.goto(served.url)
    const opened = browser
    return {
      served,
      browser: opened,
      page,
      problems,
      close: async () => {
        await opened.close()
        await served.stop()
      },
    }
  } catch (e) {
    // A failed start must not leave a server or a browser behind for the next file.
    await browser?.close().catch(() => undefined)
    await served.stop()
    throw e
  }
}
