/*
 * prediction_log: what logging every detector window costs the history writer. 100 pumps of
 * 10 tags at 1 Hz, one window per sample per pump (a detector at stride 1), in 10-second
 * batches as the pipeline hands them over:
 *   - logged: samples plus every window's row in prediction_logs (score, threshold, anomaly,
 *     contributions and sensor states, latency), as the engine writes them;
 *   - baseline: the same samples without the windows.
 * Figure: plant-seconds (all 100 pumps) committed per wall second, post to flush, in the
 * same run, interleaved. The ratio is the share of the writer's capacity left with logging on.
 */
import { join } from 'node:path'
import type { ScoreBatch } from '../src/shared/samples.ts'
import { openStore } from '../src/main/store/store.ts'
import { batchOf, pumpAsset } from '../src/main/store/test-plant.ts'
import { figure, interleaved, type Bench } from './harness.ts'

const TAGS = Array.from({ length: 10 }, (_, k) => `T${k}`)

const bench: Bench = {
  name: 'prediction_log',
  quick: true,
  async run({ quick, dir, log }) {
    const pumps = 100
    const seconds = quick ? 300 : 1800
    const step = 10
    const assets = Array.from({ length: pumps }, (_, i) => pumpAsset(`P-${i}`, TAGS))
    let file = 0
    const once = (withScores: boolean) => async () => {
      const store = await openStore({ path: join(dir, `log-${file++}.db`), assets })
      const t0 = Date.UTC(2025, 0, 1)
      const started = performance.now()
      for (let s = 0; s < seconds; s += step)
        for (const a of assets) {
          const b = batchOf(a.id, TAGS.length, t0 + s * 1000, step, 1000)
          // The writer takes the sample buffers: the windows keep a copy of the times.
          const t = b.t.slice()
          store.writeSamples(b)
          if (!withScores) continue
          const scores: ScoreBatch = {
            assetId: a.id,
            modelId: 'pump-ae',
            modelVersion: '1',
            tags: TAGS,
            threshold: 0.07,
            t,
            score: Float64Array.from({ length: step }, (_, i) => 0.01 * (i + 1)),
            anomaly: new Uint8Array(step),
            contrib: new Float64Array(step * TAGS.length).fill(0.1),
            sensorState: new Uint8Array(step * TAGS.length),
            latencyMs: 0.15,
          }
          store.writeScores(scores)
        }
      await store.flush()
      const ms = performance.now() - started
      const stats = await store.stats()
      await store.close()
      if (withScores && stats.predictions !== seconds * pumps)
        throw new Error(`prediction_log: ${stats.predictions} windows logged, expected ${seconds * pumps}`)
      return seconds / (ms / 1000)
    }
    const r = await interleaved({ logged: once(true), samples: once(false) })
    log(
      `prediction_log: ${pumps} pumps x ${seconds} s at 1 Hz; plant-seconds per wall second: ` +
        `with windows logged ${r.logged.toFixed(0)}, samples only ${r.samples.toFixed(0)}`,
    )
    return [
      figure({
        name: 'prediction_log.logged_vs_samples',
        value: r.logged,
        unit: `plant-s/wall-s (${pumps} pumps, 1 window/s each)`,
        baseline: 'the same samples stored without logging the windows',
        baseline_value: r.samples,
      }),
    ]
  },
}

export default bench
