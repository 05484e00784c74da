import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { loadPlant } from '../bench/load/plant.ts'
import { SensorState } from '../src/shared/samples.ts'
import { installProbe, type Probe } from './redraw-probe.ts'
import { openUi, type OpenUi } from './open-ui.ts'
import type { Served } from './serve.ts'

/*
 * The live redraw rule of src/renderer/charts (use-uplot.ts, redraw-gate.ts, state/frame-loop.ts)
 * watched in Chromium against `vigil serve`: a trend redraws only while on screen, once a
 * pixel's worth of time has passed or a tag changed state, and the live messages that arrive
 * between two animation frames reach the store as one update. Every assertion compares counts
 * (redraws, updates, frames) with each other, never with wall-clock times, so a loaded machine
 * slows the test without changing its verdict.
 */

// One demo pump at 10 Hz in real time: a batch of 100 ms every 100 ms.
const plant = loadPlant({ pumps: 1, rateHz: 10, seed: 7 })
const asset = plant.assets[0]!
const ASSET = asset.id
/** The tag the sensor fault is put on: the first trend (a unit of its own), always on screen. */
const DROPPED = asset.tags.findIndex((t) => t.id === 'Motor_RPM')

let served: Served
let ui: OpenUi | undefined
let page: Page
let problems: string[]

const probe = () => page.evaluate(() => (window as unknown as { __probe: Probe }).__probe)
/** Resolves after n animation frames: a resize has been observed and drawn by then. */
const frames = (n: number) =>
  page.evaluate(
    (n) =>
      new Promise<void>((done) => {
        const step = (k: number) => (k === 0 ? done() : requestAnimationFrame(() => step(k - 1)))
        step(n)
      }),
    n,
  )
const drawsOf = (p: Probe, chart: string, from = 0) =>
  p.draws.slice(from).filter((d) => d.chart === chart).length

/** Each trend's testid, its box on the page, its plot width and the tags in its legend. */
async function trends(): Promise<
  { id: string; top: number; bottom: number; plotPx: number; labels: string[] }[]
> {
  return page.locator('figure[data-testid^="trend-"]').evaluateAll((figs) =>
    figs.map((f) => {
      const r = f.getBoundingClientRect()
      return {
        id: f.getAttribute('data-testid')!,
        top: r.top,
        bottom: r.bottom,
        plotPx: f.querySelector('.u-over')?.clientWidth ?? 0,
        labels: [...f.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent ?? ''),
      }
    }),
  )
}

/** Shows the asset with the given live window; resolves once every trend on screen drew it. */
async function showWindow(seconds: number): Promise<void> {
  const before = (await probe()).draws.length
  await page.locator(`[data-window="${seconds}"]`).click()
  const onScreen = (await trends()).filter((t) => t.bottom <= page.viewportSize()!.height)
  await expect
    .poll(async () => {
      const p = await probe()
      return onScreen.every((t) => drawsOf(p, t.id, before) > 0)
    })
    .toBe(true)
}

/** Waits until the store's newest sample is `ms` of data time past `t`; returns the probe. */
async function dataTimePasses(t: number, ms: number): Promise<Probe> {
  await expect
    .poll(async () => (await probe()).updates.at(-1)!.t - t, { timeout: 60_000, interval: 250 })
    .toBeGreaterThanOrEqual(ms)
  return probe()
}

describe('the live redraw rule, in Chromium against `vigil serve`', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'))
    const config = join(dir, 'plant.json')
    writeFileSync(config, JSON.stringify(plant))
    ui = await openUi({ speed: 1, config, dir, beforeLoad: (p) => p.addInitScript(installProbe, ASSET) })
    ;({ served, page, problems } = ui)
    await page.goto(`${served.origin}/#/asset/${ASSET}`)
    await page.getByTestId('asset-view').waitFor()
    // (expect.poll is for tests, not hooks.)
    await page.waitForFunction(
      () => (window as unknown as { __probe: Probe }).__probe.updates.length > 20,
      null,
      {
        timeout: 30_000,
      },
    )
    await page.waitForFunction(
      () => document.querySelectorAll('figure[data-testid^="trend-"] canvas').length > 3,
    )
  })

  afterAll(async () => {
    await ui?.close()
  })

  it('draws only the trends on screen, and a trend scrolled into view at once', async () => {
    await showWindow(60)
    // A screen as tall as the first row of trends: the rows below are out of view.
    const firstRow = (await trends()).filter((t, _i, all) => t.top === all[0]!.top)
    await page.setViewportSize({
      width: 1920,
      height: Math.ceil(Math.max(...firstRow.map((t) => t.bottom))) + 2,
    })
    // A narrower page (a scrollbar) resizes and so redraws every chart: counting starts after that.
    await frames(3)
    const height = page.viewportSize()!.height
    const all = await trends()
    const visible = all.filter((t) => t.bottom <= height).map((t) => t.id)
    const hidden = all.filter((t) => t.top > height).map((t) => t.id)
    expect(visible.length, 'trends fully on screen').toBeGreaterThan(0)
    expect(hidden.length, 'trends fully out of view').toBeGreaterThan(0)

    const from = (await probe()).draws.length
    await expect
      .poll(async () => drawsOf(await probe(), visible[0]!, from), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(10)
    const p = await probe()
    for (const id of hidden) expect(drawsOf(p, id, from), `${id} drew while out of view`).toBe(0)

    // Scrolled into view, a trend whose data changed while hidden draws without waiting for more.
    const back = p.draws.length
    await page.locator(`[data-testid="${hidden[0]}"]`).scrollIntoViewIfNeeded()
    await expect.poll(async () => drawsOf(await probe(), hidden[0]!, back)).toBeGreaterThan(0)
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.evaluate(() => window.scrollTo(0, 0))
  })

  it('redraws a 10-minute window about once per pixel of time, far less often than a 1-minute window', async () => {
    const count = async (seconds: number) => {
      await showWindow(seconds)
      const start = await probe()
      const t0 = start.updates.at(-1)!.t
      const end = await dataTimePasses(t0, 8000)
      const chart = (await trends())[0]!
      const updates = end.updates.slice(start.updates.length)
      return {
        draws: drawsOf(end, chart.id, start.draws.length),
        // The window's span over its plot width: the time one pixel stands for.
        pixels: (updates.at(-1)!.t - t0) / ((seconds * 1000) / chart.plotPx),
        recoloured: stateChanges(updates, tagsOf(chart.labels)).length,
      }
    }
    const one = await count(60)
    const ten = await count(600)
    // About once per pixel passed (a pixel of a 1-minute window is about two batches) ...
    expect(one.draws).toBeGreaterThan(one.pixels / 3)
    // ... so the 10-minute window, ten times slower per pixel, draws a fraction as often,
    expect(ten.draws * 3).toBeLessThan(one.draws)
    // and no more than once per pixel passed, plus once per change of a tag's state.
    expect(ten.draws).toBeLessThanOrEqual(Math.ceil(ten.pixels) + 1 + ten.recoloured)
    expect(ten.draws).toBeGreaterThan(0)
  })

  it('redraws a trend at once when one of its tags changes state, between the pixels of a 1-hour window', async () => {
    await showWindow(3600)
    const all = await trends()
    const dropped = all.find((t) => tagsOf(t.labels).includes(DROPPED))!
    expect(dropped, `a trend showing ${asset.tags[DROPPED]!.id}`).toBeDefined()
    const start = await probe()
    const control = page.getByTestId('fault-control')
    await control.getByTestId('fault-tag').selectOption(asset.tags[DROPPED]!.id)
    await control.locator('[data-fault=sensor_dropout]').click()
    const stateOfDropped = async () => (await probe()).updates.at(-1)!.states[DROPPED]
    await expect.poll(stateOfDropped, { timeout: 30_000 }).toBe(SensorState.BAD_DATA)
    await page.waitForTimeout(1000)
    await control.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(stateOfDropped, { timeout: 30_000 }).not.toBe(SensorState.BAD_DATA)
    const end = await dataTimePasses((await probe()).updates.at(-1)!.t, 1000)

    const updates = end.updates.slice(start.updates.length - 1)
    const draws = end.draws.slice(start.draws.length)
    const height = page.viewportSize()!.height
    const onScreen = all.filter((t) => t.bottom <= height)
    let checked = 0
    for (const change of stateChanges(updates, [...asset.tags.keys()])) {
      for (const chart of onScreen) {
        if (!tagsOf(chart.labels).some((k) => change.tags.includes(k))) continue
        // In the update's frame, or the next when the frame's budget was spent on other charts.
        const drew = draws.some(
          (d) => d.chart === chart.id && d.frame >= change.frame && d.frame <= change.frame + 2,
        )
        expect(drew, `${chart.id} redrawn within two frames of a state change of tags ${change.tags}`).toBe(
          true,
        )
        checked++
      }
    }
    expect(checked, 'state changes on screen: the dropout and its end').toBeGreaterThanOrEqual(2)
    // Between changes the 1-hour window waits for a pixel of time (~10 s of data here), so the
    // redraws right after each change were caused by it: no chart drew more often than once
    // per pixel passed plus once per change of one of its tags' states.
    const span = updates.at(-1)!.t - updates[0]!.t
    for (const chart of onScreen) {
      const changes = stateChanges(updates, tagsOf(chart.labels)).length
      const pixels = span / (3_600_000 / chart.plotPx)
      expect(draws.filter((d) => d.chart === chart.id).length, chart.id).toBeLessThanOrEqual(
        Math.ceil(pixels) + 1 + changes,
      )
    }
    expect(span / (3_600_000 / dropped.plotPx), 'pixels passed').toBeLessThan(updates.length / 10)
  })

  it('applies the messages that arrive between two frames in one store update', async () => {
    const start = await probe()
    // The main thread busy for 600 ms: the server's messages (a batch every 100 ms) queue up.
    await page.evaluate(() => {
      const until = performance.now() + 600
      while (performance.now() < until);
    })
    const end = await dataTimePasses(start.updates.at(-1)!.t, 2000)
    const updates = end.updates.slice(start.updates.length - 1)
    const perFrame = new Map<number, number>()
    for (const u of updates.slice(1)) perFrame.set(u.frame, (perFrame.get(u.frame) ?? 0) + 1)
    expect(Math.max(...perFrame.values()), 'store updates in one frame').toBe(1)
    const applied = updates.slice(1).map((u, i) => u.messages - updates[i]!.messages)
    expect(Math.max(...applied), 'messages applied by one update after the stall').toBeGreaterThanOrEqual(2)
    expect(problems).toEqual([])
  })
})

/** Positions in the asset's tag order of the tags a chart's legend names. */
function tagsOf(labels: string[]): number[] {
  return asset.tags.flatMap((t, k) => (labels.includes(t.name ?? t.id) ? [k] : []))
}

/** The updates at which any of `tags` changed its sensor state, with the frame and the tags that changed. */
function stateChanges(
  updates: { frame: number; states: number[] }[],
  tags: number[],
): { frame: number; tags: number[] }[] {
  const out: { frame: number; tags: number[] }[] = []
  for (let i = 1; i < updates.length; i++) {
    const prev = updates[i - 1]!.states
    const cur = updates[i]!.states
    const changed = tags.filter((k) => prev.length > 0 && cur[k] !== prev[k])
    if (changed.length) out.push({ frame: updates[i]!.frame, tags: changed })
  }
  return out
}
