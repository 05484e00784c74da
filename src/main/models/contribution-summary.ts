import type { ContributionSummary } from '../../shared/model-channels.ts'
import { SensorState } from '../../shared/samples.ts'
import type { PredictionLog, PredictionRequest } from '../store/history-types.ts'

/** Reads the prediction log page by page: this many windows per model version per read. */
const PAGE = 10_000

interface Acc {
  summary: ContributionSummary
  anomalousSum: Float64Array
  normalSum: Float64Array
}

/**
 * Which sensors carry a model's error over a range: for each tag, its mean share of the
 * error in ANOMALY windows (beside its share in NORMAL ones, about 1/tags for a sensor
 * behaving normally), how often it was the largest contributor and how often the model
 * flagged it. Reads the stored prediction log in pages, at most `maxWindows` windows per
 * model; a longer range is answered up to there with `truncated` set.
 */
export async function contributionSummary(
  predictions: (req: PredictionRequest) => Promise<PredictionLog[]>,
  req: { assetId: string; modelId?: string; from: number; to: number },
  maxWindows = 200_000,
): Promise<ContributionSummary[]> {
  const accs = new Map<string, Acc>()
  /** Last window time read per model version: a page may return rows an earlier page had. */
  const cursor = new Map<string, number>()
  let from = req.from
  for (;;) {
    const logs = await predictions({ ...req, from, limit: PAGE })
    let next = Infinity
    for (const log of logs) {
      const key = `${log.modelId}\u0000${log.modelVersion}`
      const acc = accOf(accs, log)
      const seen = cursor.get(key) ?? -Infinity
      let i = 0
      while (i < log.t.length && log.t[i]! <= seen) i++
      const room = maxWindows - acc.summary.windows
      const end = Math.min(log.t.length, i + Math.max(0, room))
      fold(acc, log, i, end)
      if (end > i) cursor.set(key, log.t[end - 1]!)
      if (end < log.t.length) acc.summary.truncated = true
      else if (log.t.length === PAGE) next = Math.min(next, log.t[log.t.length - 1]!)
    }
    // A page of windows all at one time would not move the cursor on: stop rather than spin.
    if (next === Infinity || next <= from) break
    from = next
  }
  return [...accs.values()].map(finish)
}

function accOf(accs: Map<string, Acc>, log: PredictionLog): Acc {
  let acc = accs.get(log.modelId)
  const F = log.tags.length
  if (!acc) {
    acc = {
      summary: {
        modelId: log.modelId,
        versions: [],
        tags: log.tags,
        windows: 0,
        anomalous: 0,
        perTag: log.tags.map((tag) => ({ tag, anomalousShare: null, normalShare: null, top: 0, flagged: 0 })),
        truncated: false,
        from: null,
        to: null,
      },
      anomalousSum: new Float64Array(F),
      normalSum: new Float64Array(F),
    }
    accs.set(log.modelId, acc)
  }
  if (!acc.summary.versions.includes(log.modelVersion)) acc.summary.versions.push(log.modelVersion)
  return acc
}

function fold(acc: Acc, log: PredictionLog, start: number, end: number): void {
  const s = acc.summary
  const F = s.tags.length
  // A version fitted on other tags cannot be added up with this one's columns.
  if (log.tags.length !== F || log.tags.some((t, j) => t !== s.tags[j])) return
  for (let i = start; i < end; i++) {
    const t = log.t[i]!
    if (s.from === null || t < s.from) s.from = t
    if (s.to === null || t > s.to) s.to = t
    s.windows++
    const anomalous = log.anomaly[i] === 1
    const sum = anomalous ? acc.anomalousSum : acc.normalSum
    let best = -1
    let bestShare = -Infinity
    for (let j = 0; j < F; j++) {
      const c = log.contrib[i * F + j]!
      if (c === c) sum[j] = sum[j]! + c
      if (c > bestShare) {
        bestShare = c
        best = j
      }
      const state = log.sensorState[i * F + j]
      if (anomalous && (state === SensorState.ANOMALOUS || state === SensorState.CRITICAL))
        s.perTag[j]!.flagged++
    }
    if (anomalous) {
      s.anomalous++
      if (best >= 0) s.perTag[best]!.top++
    }
  }
}

function finish(acc: Acc): ContributionSummary {
  const s = acc.summary
  const normal = s.windows - s.anomalous
  s.perTag.forEach((p, j) => {
    p.anomalousShare = s.anomalous > 0 ? acc.anomalousSum[j]! / s.anomalous : null
    p.normalShare = normal > 0 ? acc.normalSum[j]! / normal : null
  })
  return s
}
