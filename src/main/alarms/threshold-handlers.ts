import { VigilError } from '../../shared/errors.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type { ThresholdProposal } from '../../shared/threshold-channels.ts'
import type { Handlers } from '../engine/dispatch.ts'
import type { Store } from '../store/store.ts'
import type { ModelThresholds } from './model-thresholds.ts'
import { proposeThreshold } from './threshold-proposal.ts'

export type ThresholdHandlers = Pick<Handlers, 'models.thresholds' | 'models.acceptThreshold'>

interface Deps {
  plant: PlantConfig
  store: Store
  thresholds: ModelThresholds
  /** Each loaded model's card threshold, by model id. */
  cardThresholds: Record<string, number>
  now(): number
}

const END = Number.MAX_VALUE

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

  return {
    'models.thresholds': ({ assetId }) => {
      if (assetId !== undefined && !d.plant.assets.some((a) => a.id === assetId))
        throw new VigilError('not-found', `models.thresholds: no asset "${assetId}" in the plant`)
      return { proposals: pairs(assetId).map(([a, m]) => proposal(a, m)) }
    },
    'models.acceptThreshold': async ({ assetId, modelId, threshold, revert }, ctx) => {
      if (!pairs(assetId).some(([, m]) => m === modelId))
        throw new VigilError(
          'not-found',
          `models.acceptThreshold: model "${modelId}" does not score asset "${assetId}"`,
        )
      const p = proposal(assetId, modelId)
      if (!revert) {
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
        threshold: revert ? p.cardThreshold : p.proposed!,
        cardThreshold: p.cardThreshold,
        acceptedBy: ctx.user,
        acceptedAt: d.now(),
      }
      d.store.writeRecords([{ op: 'threshold', row }])
      await d.store.flush()
      d.thresholds.set(row)
      return { proposal: proposal(assetId, modelId) }
    },
  }
}
