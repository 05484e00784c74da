/*
 * Bench `render`: the app's charts against bare uPlot drawing the same arrays, in headless
 * Debian Chromium (software raster), both against one `vigil serve` in the same run.
 *
 * Live: ten simulated pumps x ten tags at 10 Hz through the real engine, WebSocket, feed,
 * live store and LiveTrend, a 10-minute window, one chart per pump; bare uPlot is what a
 * plain uPlot page draws for the same live data: its own socket to the same server, the same
 * snapshot and batches, every raw sample of the window handed to uPlot, in the same figures
 * and styles. A full run waits until the window is full (ten minutes of live data) before
 * measuring. Figures: fps; main-thread time per frame (CDP TaskDuration / frames: everything
 * the page does, socket, decode, store and drawing); p95 of the animation-frame work per
 * frame; WebSocket messages per frame against the sources' batches per frame.
 *
 * History: 10 tags x 1M samples at 1 Hz (10M values; quick: 1M) written to the store,
 * then read through `history.range` at the chart's width and drawn by HistoryChart, zooming
 * from the whole range in by tens; bare uPlot draws the same arrays. Figures: query + first
 * frame on the whole range, render time against bare, points per pixel handed to uPlot.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { dirname, join, extname } from 'node:path'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { CDPSession, Page } from 'playwright-core'
import { build } from 'vite'
import react from '@vitejs/plugin-react'
import { chromium } from 'playwright-core'
import { startServe } from '../e2e/serve.ts'
import { openStore } from '../src/main/store/store.ts'
import { pumpAsset } from '../src/main/store/test-plant.ts'
import { figure, interleaved, median, rng, type Bench, type Figure } from './harness.ts'
import { loadPlant } from './load/plant.ts'
import { WINDOW_S } from './render/layout.ts'

const here = dirname(fileURLToPath(import.meta.url))
const ASSETS = 10
const HZ = 10
const TAGS = 10

/** Wraps requestAnimationFrame: counts frames, and sums each frame's callbacks (the per-frame update). */
const INSTRUMENT = `(() => {
  const raf = window.requestAnimationFrame.bind(window)
  const s = { frames: 0, work: [], cur: 0, ts: -1 }
  window.__bench = s
  const count = () => { s.frames++; raf(count) }
  raf(count)
  window.requestAnimationFrame = (cb) => raf((ts) => {
    const t0 = performance.now()
    try { cb(ts) } finally {
      // uPlot draws in a microtask queued by setData: one queued after the callback runs after it.
      queueMicrotask(() => {
        if (ts !== s.ts) { if (s.ts >= 0) s.work.push(s.cur); s.cur = 0; s.ts = ts }
        s.cur += performance.now() - t0
      })
    }
  })
})()`

interface FrameStats {
  fps: number
  frameMs: number
  p95: number
  messagesPerFrame: number
}

async function buildPages(out: string): Promise<void> {
  await build({
    root: join(here, 'render'),
    base: '/bench/',
    logLevel: 'warn',
    configFile: false,
    plugins: [react()],
    build: {
      outDir: out,
      emptyOutDir: true,
      rollupOptions: {
        input: {
          live: join(here, 'render', 'live-app.html'),
          bare: join(here, 'render', 'bare.html'),
          history: join(here, 'render', 'history-app.html'),
        },
      },
    },
  })
}

/** 10 tags x n samples at 1 Hz: a slow random walk per tag with a daily cycle. */
async function writeHistory(path: string, n: number, seed: number): Promise<{ from: number; to: number }> {
  const asset = pumpAsset(
    'HIST',
    Array.from({ length: TAGS }, (_, k) => `Tag_${k}`),
  )
  const store = await openStore({ path, assets: [asset] })
  const r = rng(seed)
  const t0 = Date.UTC(2025, 0, 1)
  const level = new Float64Array(TAGS).fill(50)
  const chunk = 86_400
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start)
    const t = Float64Array.from({ length: m }, (_, i) => t0 + (start + i) * 1000)
    const values = Array.from({ length: TAGS }, (_, k) =>
      Float64Array.from({ length: m }, (_, i) => {
        level[k] = level[k]! + (r() - 0.5) * 0.2
        return level[k]! + 5 * Math.sin((2 * Math.PI * (start + i)) / 86_400 + k)
      }),
    )
    store.writeSamples({ assetId: asset.id, t, values, quality: values.map(() => new Uint8Array(m)) })
  }
  await store.flush()
  await store.close()
  return { from: t0, to: t0 + n * 1000 }
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

async function serveBuilt(page: Page, origin: string, dir: string): Promise<void> {
  await page.route(`${origin}/bench/**`, (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^\/bench\//, '')
    const file = join(dir, rel)
    if (!existsSync(file)) return route.fulfill({ status: 404, body: `no ${rel}` })
    return route.fulfill({
      status: 200,
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      body: readFileSync(file),
    })
  })
}

async function measureFrames(
  page: Page,
  cdp: CDPSession,
  seconds: number,
  ws: { n: number },
): Promise<FrameStats> {
  const task = async () =>
    ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) *
    1000
  await page.evaluate(() => {
    const s = (window as unknown as { __bench: { frames: number; work: number[] } }).__bench
    s.frames = 0
    s.work = []
  })
  const task0 = await task()
  const ws0 = ws.n
  const t0 = Date.now()
  await page.waitForTimeout(seconds * 1000)
  const s = await page.evaluate(
    () => (window as unknown as { __bench: { frames: number; work: number[] } }).__bench,
  )
  const elapsed = (Date.now() - t0) / 1000
  const busy = (await task()) - task0
  const sorted = [...s.work].sort((a, b) => a - b)
  return {
    fps: s.frames / elapsed,
    frameMs: busy / Math.max(1, s.frames),
    p95: sorted.length ? sorted[Math.floor(0.95 * (sorted.length - 1))]! : 0,
    messagesPerFrame: (ws.n - ws0) / Math.max(1, s.frames),
  }
}

const bench: Bench = {
  name: 'render',
  async run({ quick, seed, dir, log }) {
    const web = join(dir, 'web')
    await buildPages(web)
    const dbDir = join(dir, 'db')
    mkdirSync(dbDir, { recursive: true })
    const samples = quick ? 100_000 : 1_000_000
    const started = performance.now()
    const range = await writeHistory(join(dbDir, 'e2e.db'), samples, seed)
    log(
      `wrote ${TAGS} tags x ${samples.toLocaleString()} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    const plant = loadPlant({ pumps: ASSETS, rateHz: HZ, seed })
    // Charts are measured, not models: no model scores the wall's pumps.
    for (const a of plant.assets) a.models = []
    const config = join(dir, 'plant.json')
    writeFileSync(config, JSON.stringify(plant))
    const served = await startServe({ speed: 1, config, dir: dbDir })
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        // The bench pages are handed to the browser by page.route, which Chromium counts as a
        // public origin: without this it refuses their WebSocket to 127.0.0.1.
        '--disable-features=LocalNetworkAccessChecks',
      ],
    })
    const figures: Figure[] = []
    try {
      const open = async (path: string) => {
        const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
        await page.addInitScript(INSTRUMENT)
        page.on('pageerror', (e) => log(`page error in ${path}: ${e.message}`))
        await page.goto(served.url)
        await serveBuilt(page, served.origin, web)
        const cdp = await page.context().newCDPSession(page)
        await cdp.send('Performance.enable')
        await cdp.send('Network.enable')
        const ws = { n: 0 }
        cdp.on('Network.webSocketFrameReceived', () => ws.n++)
        await page.goto(`${served.origin}/bench/${path}`)
        return { page, cdp, ws }
      }

      // ---- live ----
      const app = await open('live-app.html')
      await app.page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 10, null, {
        timeout: 30_000,
      })
      // The wall must fit the screen: a chart scrolled out of view is not drawn by the app.
      const onScreen = (p: Page) =>
        p.evaluate(
          () =>
            [...document.querySelectorAll('.chart')].filter(
              (f) => f.getBoundingClientRect().bottom <= innerHeight,
            ).length,
        )
      if ((await onScreen(app.page)) < ASSETS)
        throw new Error(
          `only ${await onScreen(app.page)} of the app's ${ASSETS} charts fit on 1920x1080: lower CHART_HEIGHT in bench/render/layout.ts`,
        )
      // A full run measures a full 10-minute window (the simulators start with the server).
      const rows = () => app.page.evaluate(() => (window as unknown as { __rows(): number }).__rows())
      const wanted = Math.floor(0.98 * WINDOW_S * HZ)
      const fillUntil = Date.now() + (quick ? 5_000 : (WINDOW_S + 60) * 1000)
      while ((await rows()) < wanted && Date.now() < fillUntil) await app.page.waitForTimeout(2000)
      const n = await rows()
      if (n < 10) throw new Error(`the app's live wall holds ${n} rows per tag after the wait: no live data`)
      const bare = await open('bare.html')
      await bare.page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 10, null, {
        timeout: 30_000,
      })
      await bare.page.waitForTimeout(2000)
      log(`live: charts on screen: app ${await onScreen(app.page)}, bare ${await onScreen(bare.page)}`)
      const handed = async (p: Page) =>
        p.evaluate(() => (window as unknown as { __points(): number }).__points())
      log(
        `live: ${n} rows per tag in the window; uPlot is handed ${await handed(app.page)} points per series by the app, ${await handed(bare.page)} by bare uPlot; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      )
      const seconds = quick ? 4 : 8
      const appRuns: FrameStats[] = []
      const bareRuns: FrameStats[] = []
      await interleaved(
        {
          app: async () => {
            const s = await measureFrames(app.page, app.cdp, seconds, app.ws)
            appRuns.push(s)
            return s.frameMs
          },
          bare: async () => {
            const s = await measureFrames(bare.page, bare.cdp, seconds, bare.ws)
            bareRuns.push(s)
            return s.frameMs
          },
        },
        quick ? 1 : 3,
      )
      const med = (xs: FrameStats[], k: keyof FrameStats) => median(xs.map((x) => x[k]))
      const live = { fps: med(appRuns, 'fps'), frame: med(appRuns, 'frameMs'), p95: med(appRuns, 'p95') }
      const base = { fps: med(bareRuns, 'fps'), frame: med(bareRuns, 'frameMs'), p95: med(bareRuns, 'p95') }
      const mpf = med(appRuns, 'messagesPerFrame')
      log(
        `live: rounds app ${appRuns.map((r) => r.fps.toFixed(1)).join(' / ')} fps, bare ${bareRuns.map((r) => r.fps.toFixed(1)).join(' / ')} fps; load average ${loadavg()[0]!.toFixed(1)}`,
      )
      log(
        `live: app ${live.fps.toFixed(1)} fps, ${live.frame.toFixed(2)} ms/frame, p95 ${live.p95.toFixed(2)} ms, ${mpf.toFixed(2)} messages/frame; bare ${base.fps.toFixed(1)} fps, ${base.frame.toFixed(2)} ms/frame`,
      )
      figures.push(
        figure({
          name: 'render.live_fps',
          value: live.fps,
          unit: 'fps',
          baseline: 'bare uPlot page, same live data (raw window)',
          baseline_value: base.fps,
          target: '>= 55 fps',
          check: (f) => f.value >= 55,
        }),
        figure({
          name: 'render.live_frame_cost',
          value: live.frame,
          unit: 'ms/frame',
          baseline: 'bare uPlot page, same live data (raw window)',
          baseline_value: base.frame,
          target: 'ratio <= 1.25',
          check: (f) => f.ratio <= 1.25,
        }),
        figure({
          name: 'render.live_update_p95',
          value: live.p95,
          unit: 'ms',
          baseline: 'bare uPlot page, same live data (raw window)',
          baseline_value: base.p95,
          target: '<= 10 ms',
          check: (f) => f.value <= 10,
        }),
        figure({
          name: 'render.live_messages_per_frame',
          value: mpf,
          unit: 'msg/frame',
          baseline: 'source batches per frame (10 pumps x 10 Hz)',
          baseline_value: (ASSETS * HZ) / live.fps,
          target: '<= 1',
          check: (f) => f.value <= 1,
        }),
      )
      await app.page.close()

      // ---- history ----
      const hist = await open('history-app.html?asset=HIST')
      await hist.page.waitForFunction(() => 'zoom' in window)
      await bare.page.goto(`${served.origin}/bench/bare.html?mode=history`)
      await bare.page.waitForFunction(() => 'drawHistory' in window)
      const span = range.to - range.from
      const mid = range.from + span / 2
      const zooms = [1, 0.1, 0.01, 0.001].map((f) => ({
        from: mid - (span * f) / 2,
        to: mid + (span * f) / 2,
      }))
      type Z = {
        queryMs: number
        commitMs: number
        drawMs: number
        renderMs: number
        points: number
        width: number
        series: number
      }
      const whole: number[] = []
      const bareWhole: number[] = []
      const ratios: number[] = []
      let ppp = 0
      const rounds = quick ? 1 : 3
      for (let r = 0; r < rounds; r++)
        for (const [i, z] of zooms.entries()) {
          const a = (await hist.page.evaluate(
            ({ from, to }) =>
              (window as unknown as { zoom(f: number, t: number): Promise<unknown> }).zoom(from, to),
            z,
          )) as Z
          const block = (await hist.page.evaluate(() =>
            (window as unknown as { lastBlock(): { t: number[]; cols: number[][] } }).lastBlock(),
          ))!
          const data = [block.t, ...block.cols.map((c) => c.map((v) => (v === v && v !== null ? v : null)))]
          type B = { ms: number; setMs: number; drawMs: number }
          const bb = (await bare.page.evaluate(
            (d) => (window as unknown as { drawHistory(d: unknown): Promise<unknown> }).drawHistory(d),
            data,
          )) as B
          const b = bb.ms
          if (i === 0) {
            whole.push(a.queryMs + a.renderMs)
            bareWhole.push(b)
          }
          ratios.push(a.renderMs / b)
          ppp = Math.max(ppp, a.points / a.width)
          log(
            `history zoom 1/${Math.round((1 / (zooms[i]!.to - zooms[i]!.from)) * span)}: query ${a.queryMs.toFixed(1)} ms, first frame ${a.renderMs.toFixed(1)} ms = commit ${a.commitMs.toFixed(1)} + draw ${a.drawMs.toFixed(1)} + wait (bare ${b.toFixed(1)} ms = setData ${bb.setMs.toFixed(1)} + draw ${bb.drawMs.toFixed(1)} + wait), ${a.points} points over ${a.width} px`,
          )
        }
      figures.push(
        figure({
          name: 'render.history_first_frame',
          value: median(whole),
          unit: 'ms',
          baseline: `bare uPlot's first frame of the same arrays (no query); whole range, ${((samples * TAGS) / 1e6).toFixed(0)}M values`,
          baseline_value: median(bareWhole),
          target: '<= 100 ms',
          check: (f) => f.value <= 100,
        }),
        figure({
          name: 'render.history_render_ratio',
          value: median(ratios),
          unit: 'x',
          baseline: 'bare uPlot drawing the same arrays',
          baseline_value: 1,
          target: '<= 1.3',
          check: (f) => f.value <= 1.3,
        }),
        figure({
          name: 'render.history_points_per_px',
          value: ppp,
          unit: 'points/px',
          baseline: 'raw samples per pixel over the whole range',
          baseline_value: samples / 1800,
          limit: 4,
          target: '<= 4 per series',
          check: (f) => f.value <= 4,
        }),
      )
      await hist.page.close()
      await bare.page.close()
    } finally {
      await browser.close()
      await served.stop({ keepDir: true })
    }
    return figures
  },
}
export default bench
