import { VigilError } from '../../shared/errors.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type { ThresholdCalibration, ThresholdProposal } from '../../shared/threshold-channels.ts'
import type { Handlers } from '../engine/dispatch.ts'
import type { Store } from '../store/store.ts'
import type { ModelThresholds } from './model-thresholds.ts'
import { calibrateThreshold } from './threshold-calibration.ts'
import { proposeThreshold } from './threshold-proposal.ts'

export type ThresholdHandlers = Pick<
  Handlers,
  'models.thresholds' | 'models.acceptThreshold' | 'models.calibrateThreshold'
>

interface Deps {
  plant: PlantConfig
  store: Store
  thresholds: ModelThresholds
  /** Each loaded model's card threshold, by model id. */
  cardThresholds: Record<string, number>
  /** Whether a loaded model is a window detector (a score against a threshold), not a predictor. */
  isDetector(modelId: string): boolean
  now(): number
}

const END = Number.MAX_VALUE
/**
 * A calibration reads every window of its range as rows (models.predictions' reader); past this
 * many (about three days at 1 Hz) it asks for a shorter stretch rather than hold them all.
 */
export const MAX_CALIBRATION_WINDOWS = 250_000

interface CalibrationRequest {
  assetId: string
  modelId: string
  from: number
  to: number
  percentile?: number
}

/** The adaptive-threshold channels: proposals from verdicts, and the engineer's acceptance. */
export function thresholdHandlers(d: Deps): ThresholdHandlers {
  const proposal = (assetId: string, modelId: string): ThresholdProposal => {
    const card = d.cardThresholds[modelId]
    if (card === undefined) throw new VigilError('not-found', `no loaded model "${modelId}"`)
    const accepted = d.thresholds.get(assetId, modelId)
    const current = accepted?.threshold ?? card
    const verdicts = d.store.records.verdictRows({ alarmId: `${assetId}/model/${modelId}`, from: 0, to: END })
    const p = proposeThreshold({ assetId, modelId }, card, current, verdicts)
    return accepted && accepted.threshold !== card
      ? {
          ...p,
          accepted: { by: accepted.acceptedBy, at: accepted.acceptedAt, threshold: accepted.threshold },
        }
      : p
  }
  const pairs = (assetId?: string) =>
    d.plant.assets
      .filter((a) => assetId === undefined || a.id === assetId)
      .flatMap((a) => a.models.filter((m) => m in d.cardThresholds).map((m) => [a.id, m] as const))

  const scores = async (r: CalibrationRequest) => {
    try {
      const series = await d.store.modelPredictions({ ...r, limit: MAX_CALIBRATION_WINDOWS })
      if (series.some((s) => s.truncated))
        throw new VigilError(
          'bad-request',
          `cannot calibrate asset "${r.assetId}", model "${r.modelId}": the range holds more than ${MAX_CALIBRATION_WINDOWS} windows; take a shorter stretch of normal running`,
        )
      return series
    } catch (e) {
      // No window ever logged for the pair is the same as none in the range: too few to calibrate.
      if (e instanceof VigilError && e.code === 'not-found') return []
      throw e
    }
  }
  /** The range's scores, read once: of the newest version that scored there, and how many of others. */
  const gather = async (method: string, r: CalibrationRequest) => {
    if (!pairs(r.assetId).some(([, m]) => m === r.modelId))
      throw new VigilError('not-found', `${method}: model "${r.modelId}" does not score asset "${r.assetId}"`)
    const series = await scores(r)
    // Only the windows of the newest version that scored in the range: another version's scores
    // are on another scale. The store lists a model's versions oldest first.
    const version = series.at(-1)?.modelVersion ?? null
    const mine = series.filter((s) => s.modelVersion === version)
    const all = new Float64Array(mine.reduce((n, s) => n + s.value.length, 0))
    let at = 0
    for (const s of mine) {
      all.set(s.value, at)
      at += s.value.length
    }
    const other = series.reduce((n, s) => n + s.value.length, 0) - all.length
    return { r, all, version, other }
  }
  /** The proposal from gathered scores, against the threshold in force now. */
  const calibrate = ({
    r,
    all,
    version,
    other,
  }: Awaited<ReturnType<typeof gather>>): ThresholdCalibration => {
    const card = d.cardThresholds[r.modelId]!
    return calibrateThreshold({
      ...r,
      detector: d.isDetector(r.modelId),
      scores: all,
      modelVersion: version,
      otherVersionWindows: other,
      cardThreshold: card,
      current: d.thresholds.get(r.assetId, r.modelId)?.threshold ?? card,
    })
  }

  return {
    'models.calibrateThreshold': async (r) => ({
      calibration: calibrate(await gather('models.calibrateThreshold', r)),
    }),
    'models.thresholds': ({ assetId }) => {
      if (assetId !== undefined && !d.plant.assets.some((a) => a.id === assetId))
        throw new VigilError('not-found', `models.thresholds: no asset "${assetId}" in the plant`)
      return { proposals: pairs(assetId).map(([a, m]) => proposal(a, m)) }
    },
    'models.acceptThreshold': async ({ assetId, modelId, threshold, revert, calibration: range }, ctx) => {
      if (!pairs(assetId).some(([, m]) => m === modelId))
        throw new VigilError(
          'not-found',
          `models.acceptThreshold: model "${modelId}" does not score asset "${assetId}"`,
        )
      const p = proposal(assetId, modelId)
      // The reviewed value is a calibration's: recomputed now, so a range whose windows changed
      // since the engineer looked (late writes, a new model version) is refused, not applied unseen.
      const g = range && (await gather('models.acceptThreshold', { assetId, modelId, ...range }))
      const c = g && calibrate(g)
      if (c) {
        if (Math.abs(c.proposed.threshold - threshold!) > 1e-9 * c.proposed.threshold)
          throw new VigilError(
            'bad-request',
            `models.acceptThreshold: the calibration of that range is now ${c.proposed.threshold}, not ${threshold}; review it again`,
          )
      } else if (!revert) {
        if (p.proposed === null)
          throw new VigilError('bad-request', `models.acceptThreshold: nothing to accept: ${p.reason}`)
        if (Math.abs(p.proposed - threshold!) > 1e-9 * Math.abs(p.proposed))
          throw new VigilError(
            'bad-request',
            `models.acceptThreshold: the proposal is now ${p.proposed}, not ${threshold}; review it again`,
          )
      }
      const row = {
        assetId,
        modelId,
        threshold: revert ? p.cardThreshold : c ? c.proposed.threshold : p.proposed!,
        cardThreshold: p.cardThreshold,
        acceptedBy: ctx.user,
        acceptedAt: d.now(),
      }
      d.store.writeRecords([{ op: 'threshold', row }])
      await d.store.flush()
      d.thresholds.set(row)
      // The same windows, now judged against the threshold just put in force.
      if (!g) return { proposal: proposal(assetId, modelId) }
      return { proposal: proposal(assetId, modelId), calibration: calibrate(g) }
    },
  }
}
