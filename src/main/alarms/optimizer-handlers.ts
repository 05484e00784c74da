import { VigilError } from '../../shared/errors.ts'
import type { AdviceDecision } from '../../shared/optimizer-channels.ts'
import type { SetpointAdvice } from '../../shared/suggestion.ts'
import type { Handlers } from '../engine/dispatch.ts'
import type { Store } from '../store/store.ts'

export type OptimizerHandlers = Pick<Handlers, 'optimizer.decide' | 'optimizer.decisions'>

const DECIDE = 'optimizer.decide'
const ALL = 8.64e15

interface Deps {
  store: Store
  now(): number
}

/**
 * Decisions on setpoint suggestions. The decision itself is the audit entry the access guard
 * writes for every call that is not plain viewing (who, role, when, the request): recording
 * it twice would let the two disagree. This handler checks that the suggestion decided on
 * exists in the prediction log; `optimizer.decisions` reads the entries back.
 */
export function optimizerHandlers(d: Deps): OptimizerHandlers {
  return {
    [DECIDE]: async (req, ctx) => {
      // The advice may have been made a moment ago: let the writer log it first.
      await d.store.flush()
      const series = await d.store.modelPredictions({
        assetId: req.assetId,
        modelId: req.modelId,
        from: req.at,
        to: req.at + 1,
      })
      const advice = series
        .flatMap((s) => (s.advice ?? []) as SetpointAdvice[])
        .find((a) => a.at === req.at && a.assetId === req.assetId)
      if (!advice)
        throw new VigilError(
          'not-found',
          `${DECIDE}: model "${req.modelId}" gave asset "${req.assetId}" no advice at ${new Date(req.at).toISOString()}`,
        )
      if (!advice.suggestion)
        throw new VigilError(
          'bad-request',
          `${DECIDE}: the advice at ${new Date(req.at).toISOString()} suggests nothing to ${req.decision} ("${advice.why}")`,
        )
      return {
        decision: {
          t: d.now(),
          actor: ctx.user,
          role: ctx.role,
          assetId: req.assetId,
          modelId: req.modelId,
          at: req.at,
          decision: req.decision,
          note: req.note || null,
        },
      }
    },
    'optimizer.decisions': ({ assetId, from, to, limit }) => {
      const rows = d.store.records.auditRows({
        action: DECIDE,
        from: from ?? 0,
        to: to ?? ALL,
        limit: limit ?? 200,
      })
      const decisions: AdviceDecision[] = []
      for (const r of rows) {
        // Refused and failed attempts are in the audit too; only what was recorded counts.
        if (r.outcome !== 'ok' || !r.detail) continue
        const q = JSON.parse(r.detail) as {
          assetId: string
          modelId: string
          at: number
          decision: AdviceDecision['decision']
          note?: string
        }
        if (assetId !== undefined && q.assetId !== assetId) continue
        decisions.push({
          t: r.t,
          actor: r.actor,
          role: r.role,
          assetId: q.assetId,
          modelId: q.modelId,
          at: q.at,
          decision: q.decision,
          note: q.note ?? null,
        })
      }
      return { decisions }
    },
  }
}
