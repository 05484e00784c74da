import { VigilError } from '../../shared/errors.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { OnnxSignature, OnnxValue } from './onnx-signature.ts'

/*
 * What a card of each kind promises about its graph, checked against the graph's declared
 * inputs and outputs before any session opens, so a folder whose card and ONNX disagree is
 * refused with both named and the other models keep running. Kind 'pca' has its own check in
 * registry.ts (its graph takes raw rows and names its outputs in the pca block).
 */

const invalid = (message: string) => new VigilError('model.invalid', message)
const list = (vs: OnnxValue[]) => vs.map((v) => `"${v.name}"`).join(', ')
const dims = (v: OnnxValue) => `[${v.shape.join(', ')}]`

/** Each output field of the card with the graph output it names, e.g. ["outputs.members.xgb", "p_xgb"]. */
export function namedOutputs(card: ModelCard): [field: string, name: string][] {
  const o = card.outputs
  const out: [string, string][] = [['outputs.name', o.name]]
  if (o.spread !== undefined) out.push(['outputs.spread', o.spread])
  if (o.confidence !== undefined) out.push(['outputs.confidence', o.confidence])
  for (const [member, name] of Object.entries(o.members ?? {})) out.push([`outputs.members.${member}`, name])
  return out
}

/**
 * The columns a per-batch output may have: one value per input ([batch] or [batch, 1]), a
 * classifier's [batch, 2] (column 1 is P(anomaly)), a policy's one per action.
 */
function allowedWidths(card: ModelCard, field: string): number[] {
  if (field !== 'outputs.name') return [1]
  if (card.kind === 'classifier') return [1, 2]
  if (card.kind === 'policy') return [card.policy?.actions.length ?? 1]
  if (card.kind === 'autoencoder') return [card.inputs.tags.length]
  return [1]
}

export function checkGraph(card: ModelCard, sig: OnnxSignature, onnxPath: string, cardPath: string): void {
  const input = sig.inputs.find((i) => i.name === card.inputs.name)
  if (!input || sig.inputs.length !== 1)
    throw invalid(
      `${onnxPath}: graph inputs are ${list(sig.inputs)}; ${cardPath} inputs.name says "${card.inputs.name}"`,
    )
  const F = card.inputs.tags.length
  // A policy acts on one row of latest values; every other kind on a window of rows.
  const want = card.kind === 'policy' ? [F] : [card.inputs.window, F]
  const what = card.kind === 'policy' ? '(inputs.tags)' : '(inputs.window, inputs.tags)'
  const fixed = input.shape.slice(1)
  if (input.shape.length !== want.length + 1 || fixed.some((d, i) => typeof d === 'number' && d !== want[i]))
    throw invalid(
      `${onnxPath}: input "${input.name}" has shape ${dims(input)}; ${cardPath} says [batch, ${want.join(', ')}] ${what} for kind "${card.kind}"`,
    )
  for (const [field, name] of namedOutputs(card)) {
    const out = sig.outputs.find((o) => o.name === name)
    if (!out)
      throw invalid(
        `${onnxPath}: graph outputs are ${list(sig.outputs)}; ${cardPath} ${field} says "${name}"`,
      )
    // An autoencoder's reconstruction is [batch, window, tags]; the rest give per-batch values.
    if (card.kind === 'autoencoder') continue
    const widths = allowedWidths(card, field)
    const last = out.shape[out.shape.length - 1]
    // A graph that declares no shape for an output (some converters) is checked when it runs.
    if (out.shape.length === 0) continue
    const rankOk = out.shape.length === 1 || out.shape.length === 2
    const widthOk =
      out.shape.length === 1 ? widths.includes(1) : typeof last !== 'number' || widths.includes(last)
    if (!rankOk || !widthOk)
      throw invalid(
        `${onnxPath}: output "${name}" has shape ${dims(out)}; ${cardPath} ${field} of kind "${card.kind}" needs ` +
          widths.map((w) => (w === 1 ? '[batch] or [batch, 1]' : `[batch, ${w}]`)).join(' or '),
      )
  }
}
