import type { AlarmView, MaintenanceEvent } from '../../shared/alarms.ts'
import type { Contributor, Explanation } from '../../shared/assistant-channels.ts'
import type { SeriesBlock } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type {
  PredictionLog,
  PredictionRequest,
  RangeRequest,
  ScoreRequest,
  ScoreSeries,
} from '../store/history-types.ts'
import type { JournalRequest, JournalRow, MaintenanceRequest } from '../store/record-types.ts'
import { buildup, meanShares, type ScoreTrack } from './buildup.ts'
import { loadChecklist, rankCauses } from './checklist.ts'
import { blockStats, deviation, lastValues } from './deviation.ts'
import { alarmTag, similarEvents, type Episode } from './similar.ts'
import { explanationSummary } from './summary.ts'

export interface AssistantDeps {
  asset(id: string): AssetConfig | undefined
  /** Whether a model scores windows (autoencoder, pca, classifier): only those have contributions to explain. */
  isDetector(modelId: string): boolean
  alarm(id: string): AlarmView | undefined
  predictions(req: PredictionRequest): Promise<PredictionLog[]>
  scores(req: ScoreRequest): Promise<ScoreSeries[]>
  range(req: RangeRequest): Promise<SeriesBlock>
  events(req: MaintenanceRequest): MaintenanceEvent[]
  journal(req: JournalRequest): JournalRow[]
  /** Folder of <class>.json checklists. */
  checklistsDir: string
  /** The data's "now" when no moment is asked for and no window is scored yet. */
  now(): number
}

const MIN = 60_000
/** Score history read before the moment explained: long enough to see the normal band before a slow rise. */
const LOOKBACK_MS = 6 * 60 * MIN
const MAX_WINDOWS = 40_000
/** The tags' normal: this stretch before the score began to rise. */
const BASELINE_MS = 30 * MIN
/** Past findings looked for this far back, on the store's decimated score history. */
const PAST_MS = 90 * 24 * 60 * MIN
const PAST_EPISODES = 30
/** Key sensors: the ones whose share stands out, at most this many. */
const KEYS = 3

export interface ExplainRequest {
  assetId: string
  alarmId?: string
  at?: number
  modelId?: string
}

/**
 * Explains an anomaly or an alarm from what the store holds: the model's contributions over
 * the finding, each sensor's deviation from its own recent normal, how long the score has
 * been building, similar past events, and the asset class's checklist ranked by the signs
 * seen. Everything is computed here, on the machine.
 */
export async function explain(d: AssistantDeps, req: ExplainRequest): Promise<Explanation> {
  const asset = d.asset(req.assetId)
  if (!asset) throw new VigilError('not-found', `assistant.explain: no asset "${req.assetId}"`)
  const alarm = req.alarmId ? d.alarm(req.alarmId) : undefined
  if (req.alarmId && !alarm) throw new VigilError('not-found', `assistant.explain: no alarm "${req.alarmId}"`)
  if (alarm && alarm.assetId !== asset.id)
    throw new VigilError('bad-request', `assistant.explain: alarm "${alarm.id}" belongs to ${alarm.assetId}`)
  const modelId = req.modelId ?? asset.models.find((m) => d.isDetector(m)) ?? null
  if (req.modelId && !asset.models.includes(req.modelId))
    throw new VigilError(
      'not-found',
      `assistant.explain: ${asset.id} is not scored by model "${req.modelId}"`,
    )

  const wanted = req.at ?? alarm?.activeSince ?? alarm?.changedAt
  const track = modelId
    ? await readTrack(d, asset.id, modelId, (wanted ?? d.now()) - LOOKBACK_MS, (wanted ?? d.now()) + 1)
    : null
  const at = wanted ?? (track && track.t.length ? track.t[track.t.length - 1]! : d.now())
  const b = track ? buildup(track, at) : null
  const shares = track && b && b.end >= 0 ? meanShares(track, b.runStart, b.end) : null
  const started = b?.risingSince ?? b?.anomalousSince ?? at

  const tags = asset.tags.filter((t) => t.id !== 'Cast_Number')
  const tagIds = tags.map((t) => t.id)
  const [base, recent] = await Promise.all([
    d.range({ assetId: asset.id, tags: tagIds, from: started - BASELINE_MS, to: started, maxPoints: 20_000 }),
    d.range({ assetId: asset.id, tags: tagIds, from: at - 2 * MIN, to: at + 1, maxPoints: 2_000 }),
  ])
  const normal = blockStats(base)
  const now = lastValues(recent)
  const contributors = tags.map((t, k) => {
    const j = track ? track.tags.indexOf(t.id) : -1
    return deviation(
      t,
      now[k] ?? null,
      normal[k] ?? null,
      shares && j >= 0 ? shares.share[j]! : null,
      shares && j >= 0 ? shares.normal[j]! : null,
    )
  })
  contributors.sort(byWeight)
  const keys = keySensors(contributors, alarm ? alarmTag(alarm.id) : null)

  const episodes = modelId ? await pastEpisodes(d, asset.id, modelId, started) : []
  const similar = similarEvents({
    keys,
    before: started,
    journal: d.journal({ assetId: asset.id, from: at - PAST_MS, to: started, limit: 5_000 }),
    maintenance: d.events({ assetId: asset.id, from: 0, to: started, limit: 1_000 }),
    episodes,
  })
  const checklist = loadChecklist(d.checklistsDir, asset.class)
  const causes = checklist ? rankCauses(checklist.list, contributors) : []
  const anomalous = b?.anomalousSince !== null && b?.anomalousSince !== undefined
  const out: Explanation = {
    assetId: asset.id,
    assetClass: asset.class,
    subject: {
      kind: alarm ? 'alarm' : 'anomaly',
      alarmId: alarm?.id ?? null,
      title: alarm
        ? `${alarm.priority.toUpperCase()} ${alarm.message}`
        : `${asset.id} ${anomalous ? 'ANOMALY' : 'state'} (${modelId ?? 'no model'})`,
      at,
    },
    modelId,
    summary: [],
    contributors,
    buildup: b
      ? {
          risingSince: b.risingSince,
          anomalousSince: b.anomalousSince,
          score: b.score,
          threshold: b.threshold,
          normalBand: b.normalBand,
          trend: b.trend,
        }
      : {
          risingSince: null,
          anomalousSince: null,
          score: null,
          threshold: null,
          normalBand: null,
          trend: null,
        },
    similar,
    causes,
    checklist: checklist ? `${asset.class}.json` : null,
  }
  out.summary = explanationSummary(out, keys)
  return out
}

/** Model error first (share over its normal share), then distance from normal. */
function byWeight(a: Contributor, b: Contributor): number {
  const w = (c: Contributor) => (c.share !== null ? c.share / Math.max(c.normalShare ?? 0, 1e-9) : 0)
  return w(b) - w(a) || Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0)
}

/**
 * The sensors the finding is about: the alarm's own tag first, then those whose share of the
 * model's error stands out or that moved 3 sigma from their normal, at most KEYS.
 */
function keySensors(cs: Contributor[], alarmTagId: string | null): string[] {
  // A sensor far from its normal is key even when the model spreads its error elsewhere.
  const standing = cs.filter(
    (c) =>
      (c.share !== null && c.normalShare !== null && c.share >= 1.5 * c.normalShare) ||
      Math.abs(c.z ?? 0) >= 3,
  )
  const keys = [...(alarmTagId ? [alarmTagId] : []), ...standing.map((c) => c.tag)]
  if (keys.length === 0 && cs[0]) keys.push(cs[0].tag)
  return [...new Set(keys)].slice(0, KEYS)
}

/** One model's prediction log over [from, to), versions merged in time order, at most MAX_WINDOWS (the newest). */
async function readTrack(
  d: AssistantDeps,
  assetId: string,
  modelId: string,
  from: number,
  to: number,
): Promise<ScoreTrack | null> {
  const logs: PredictionLog[] = []
  let cursor = from
  for (let read = 0; read < MAX_WINDOWS;) {
    const page = (await d.predictions({ assetId, modelId, from: cursor, to, limit: 10_000 })).filter(
      (l) => l.t.length > 0,
    )
    if (page.length === 0) break
    logs.push(...page)
    const n = page.reduce((s, l) => s + l.t.length, 0)
    read += n
    const last = Math.max(...page.map((l) => l.t[l.t.length - 1]!))
    if (n < 10_000 || last < cursor) break
    cursor = last + 1e-3
  }
  if (logs.length === 0) return null
  const tags = logs[logs.length - 1]!.tags
  const same = logs.filter((l) => l.tags.length === tags.length && l.tags.every((t, j) => t === tags[j]))
  const rows: [PredictionLog, number][] = []
  for (const l of same) for (let i = 0; i < l.t.length; i++) rows.push([l, i])
  rows.sort((a, b) => a[0].t[a[1]]! - b[0].t[b[1]]!)
  const F = tags.length
  const n = rows.length
  const s: ScoreTrack = {
    tags,
    t: new Float64Array(n),
    score: new Float64Array(n),
    threshold: new Float64Array(n),
    anomaly: new Uint8Array(n),
    contrib: new Float64Array(n * F),
  }
  rows.forEach(([l, i], r) => {
    s.t[r] = l.t[i]!
    s.score[r] = l.score[i]!
    s.threshold[r] = l.threshold[i]!
    s.anomaly[r] = l.anomaly[i]!
    s.contrib.set(l.contrib.subarray(i * F, i * F + F), r * F)
  })
  return s
}

/**
 * Past runs of ANOMALY windows before `before`: found on the store's decimated score history
 * (cheap over months), then each recent one's windows read for its top sensors.
 */
async function pastEpisodes(
  d: AssistantDeps,
  assetId: string,
  modelId: string,
  before: number,
): Promise<Episode[]> {
  const [series] = await d.scores({ assetId, modelId, from: before - PAST_MS, to: before, maxPoints: 4_000 })
  if (!series || series.t.length === 0) return []
  const spans: { from: number; to: number }[] = []
  const step = (i: number) => (series.t[i + 1] ?? series.t[i]! + 1000) - series.t[i]!
  for (let i = 0; i < series.t.length; i++) {
    if (!(series.anomalies[i]! > 0)) continue
    const last = spans[spans.length - 1]
    const end = series.t[i]! + step(i)
    if (last && series.t[i]! - last.to <= 3 * step(i)) last.to = end
    else spans.push({ from: series.t[i]!, to: end })
  }
  const out: Episode[] = []
  for (const sp of spans.slice(-PAST_EPISODES)) {
    const track = await readTrack(d, assetId, modelId, sp.from, sp.to)
    if (!track) continue
    const F = track.tags.length
    const sum = new Float64Array(F)
    let windows = 0
    for (let i = 0; i < track.t.length; i++) {
      if (track.anomaly[i] !== 1) continue
      windows++
      for (let j = 0; j < F; j++) sum[j]! += track.contrib[i * F + j]! || 0
    }
    if (windows === 0) continue
    const top = [...track.tags.keys()]
      .sort((a, b) => sum[b]! - sum[a]!)
      .slice(0, KEYS)
      .map((j) => track.tags[j]!)
    out.push({ from: sp.from, to: sp.to, windows, top })
  }
  return out
}
