import { resolve } from 'node:path'
import type { ReplayState } from '../../../shared/import.ts'
import { ReplaySource } from '../../../shared/replay-config.ts'
import type { SourceKind } from '../source.ts'
import { openCsvDataset } from './csv-dataset.ts'
import type { ReplayDataset } from './dataset.ts'
import { openHistoryDataset } from './history-dataset.ts'
import { ReplayClock } from './replay-clock.ts'

/**
 * Plays a CSV file or stored history into its asset as if live: every tick sends the rows
 * whose data time has come, stamped with the wall time they play at, so validation, models,
 * alarms and the UI see an ordinary live source. Speed x0.1 to x1000, pause, seek and loop
 * through the handle's `replay` control (the contract's replay.control).
 */
export const replay: SourceKind<typeof ReplaySource> = {
  kind: 'replay',
  config: ReplaySource,
  async start(cfg, asset, out, ctx) {
    out.status({ state: 'starting' })
    const data: ReplayDataset = cfg.file
      ? await openCsvDataset(resolve(cfg.file), cfg.mapping && resolve(cfg.mapping), asset)
      : await openHistoryDataset(cfg.history!, asset, ctx)
    const clock = new ReplayClock({
      from: data.from,
      to: data.to,
      speed: cfg.speed,
      loop: cfg.loop,
      playing: !cfg.paused,
      now: Date.now(),
    })
    let rows = 0
    let busy = false
    let stopped = false
    let lastNote: string | undefined
    const report = (message?: string) => {
      const note = data.note()
      out.status({ state: 'running', message: [message, note].filter(Boolean).join('; ') || undefined })
      lastNote = note
    }

    const tick = async () => {
      if (busy || stopped) return
      busy = true
      try {
        const now = Date.now()
        clock.to = data.to
        const w = clock.due(now)
        if (w) {
          const r = await data.read(w.from, w.to)
          if (stopped) return
          const n = r.t.length
          if (n > 0) {
            const t = new Float64Array(n)
            for (let i = 0; i < n; i++) t[i] = clock.stamp(r.t[i]!)
            out.batch({ assetId: asset.id, t, values: r.values })
            rows += n
          }
        }
        clock.to = data.to
        if (clock.playing && clock.ended(now)) {
          if (clock.loop) clock.seek(clock.from, now)
          else {
            clock.pause(now)
            report('replay reached the end')
          }
        }
        if (data.note() !== lastNote) report()
      } catch (e) {
        out.status({ state: 'failed', message: e instanceof Error ? e.message : String(e) })
        stopped = true
        clearInterval(timer)
      } finally {
        busy = false
      }
    }
    const timer = setInterval(() => void tick(), cfg.tickMs)
    report(cfg.paused ? 'paused' : undefined)

    const state = (): ReplayState => ({
      assetId: asset.id,
      playing: clock.playing,
      speed: clock.speed,
      loop: clock.loop,
      position: clock.position(Date.now()),
      from: clock.from,
      to: Number.isFinite(data.to) ? data.to : clock.from,
      rows,
    })
    const act = (f: (now: number) => void, message?: string) => {
      f(Date.now())
      if (message !== undefined) report(message)
      return state()
    }
    return {
      async stop() {
        stopped = true
        clearInterval(timer)
        await data.close()
        out.status({ state: 'stopped' })
      },
      replay: {
        state,
        play: () => act((now) => clock.play(now), ''),
        pause: () => act((now) => clock.pause(now), 'paused'),
        seek: (t) => act((now) => clock.seek(t, now)),
        speed: (x) => act((now) => clock.setSpeed(Math.min(1000, Math.max(0.1, x)), now)),
        loop: (on) => act(() => (clock.loop = on)),
      },
    }
  },
}
