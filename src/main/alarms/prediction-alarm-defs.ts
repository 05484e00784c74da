import type { Priority } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { AlarmDef } from './alarm-defs.ts'

/*
 * The alarms of a predictor (card kind rul, defect or policy) on one asset. Priority follows
 * ISA-18.2's consequence and time to respond:
 *   rul         medium: under the card's horizon (a week for C-201) there are days to plan a
 *               wash, but the plan must start now.
 *   defect      high: a slab likely cracked or near a breakout must be held for inspection
 *               before it leaves the caster's run-out, minutes away.
 *   constraint  low: advisory; nothing changes on the plant unless a person applies the
 *               suggestion, but whoever does should know it eats into a limit's margin.
 * An asset's `alarms.model` block (priority, on/off delays) tunes these as it tunes window
 * alarms.
 */

/** A RUL alarm clears only once life is back this share of the horizon above it (after a wash). */
const RUL_DEADBAND = 0.05
/** A defect alarm stays while casts keep coming within this probability of the threshold. */
const DEFECT_DEADBAND = 0.05
/**
 * A suggestion is at risk when the margin it leaves to a policy constraint is under 5 % of the
 * tag's instrument span: the distance at which a pre-alarm sits inside a critical limit
 * (alarm-defs.ts), so a suggestion that would put the tag into pre-alarm territory is flagged.
 */
const RISK_SPAN = 0.05
const RISK_DEADBAND_SPAN = 0.01

const DEFAULT_PRIORITY: Record<'rul' | 'defect' | 'constraint', Priority> = {
  rul: 'medium',
  defect: 'high',
  constraint: 'low',
}

export const rulAlarmId = (assetId: string, modelId: string) => `${assetId}/rul/${modelId}`
export const defectAlarmId = (assetId: string, modelId: string) => `${assetId}/defect/${modelId}`
export const constraintAlarmId = (assetId: string, modelId: string, tag: string) =>
  `${assetId}/constraint/${modelId}/${tag}`

export function predictorDefs(asset: AssetConfig, card: ModelCard): AlarmDef[] {
  const m = asset.alarms?.model
  const base = { assetId: asset.id, modelId: card.id, tagIndex: -1 }
  const priority = (k: keyof typeof DEFAULT_PRIORITY) => m?.priority ?? DEFAULT_PRIORITY[k]
  const where = `model "${card.id}" on asset "${asset.id}"`
  if (card.kind === 'rul') {
    if (!card.rul) throw new VigilError('model.invalid', `${where}: kind "rul" needs a rul block`)
    const h = card.threshold.value
    // Two predictions in a row under the horizon before it sounds: one prediction's noise
    // (its members' spread is ~13 h on C-201) must not raise it alone; the same to clear.
    const every = 1000 * card.rul.everySeconds
    return [
      {
        ...base,
        id: rulAlarmId(asset.id, card.id),
        kind: 'rul',
        priority: priority('rul'),
        label: `remaining life (${card.id})`,
        unit: card.rul.unit === 'hours' ? 'h' : card.rul.unit,
        limit: h,
        dir: -1,
        deadband: RUL_DEADBAND * h,
        onDelayMs: m?.onDelayS !== undefined ? 1000 * m.onDelayS : every,
        offDelayMs: m?.offDelayS !== undefined ? 1000 * m.offDelayS : every,
      },
    ]
  }
  if (card.kind === 'defect')
    return [
      {
        ...base,
        id: defectAlarmId(asset.id, card.id),
        kind: 'defect',
        priority: priority('defect'),
        label: `cast defect risk (${card.id})`,
        unit: '',
        limit: card.threshold.value,
        dir: 1,
        deadband: DEFECT_DEADBAND,
        // Each prediction is one whole cast's verdict, not a noisy sample: waiting for a second
        // cast would let the first slab go on unflagged.
        onDelayMs: 1000 * (m?.onDelayS ?? 0),
        offDelayMs: 1000 * (m?.offDelayS ?? 0),
      },
    ]
  if (card.kind === 'policy') {
    if (!card.policy) throw new VigilError('model.invalid', `${where}: kind "policy" needs a policy block`)
    // A constraint on a tag the asset lacks has no alarm: the pipeline refuses that model on
    // this asset and system.health names the tag (the engine keeps serving the rest).
    return Object.keys(card.policy.constraints).flatMap((tag) => {
      const k = asset.tags.findIndex((t) => t.id === tag)
      if (k < 0) return []
      const t = asset.tags[k]!
      const span = t.max - t.min
      return [
        {
          ...base,
          id: constraintAlarmId(asset.id, card.id, tag),
          kind: 'constraint' as const,
          priority: priority('constraint'),
          tag,
          tagIndex: k,
          label: `${t.name ?? tag}: margin left by ${card.id} suggestions`,
          unit: t.unit,
          // The least margin a suggestion may leave, in the tag's unit; the alarm is below it.
          limit: RISK_SPAN * span,
          dir: -1 as const,
          deadband: RISK_DEADBAND_SPAN * span,
          // Advice comes every policy.everySeconds; one suggestion is what a person may act on.
          onDelayMs: 1000 * (m?.onDelayS ?? 0),
          offDelayMs: 1000 * (m?.offDelayS ?? 0),
        },
      ]
    })
  }
  throw new VigilError('model.invalid', `${where}: kind "${card.kind}" is not a predictor`)
}
