import * as ort from 'onnxruntime-node'
import { VigilError } from '../../shared/errors.ts'
import type { LoadedModel } from './registry.ts'

/**
 * An onnxruntime session for a model's file whose graph has the card's input and every
 * output named in `outputs`, or a 'model.invalid' error naming the file. One intra-op thread
 * by default: the pipeline runs one session per worker shard, and shards must not fight over
 * the cores.
 */
export async function openSession(
  m: LoadedModel,
  outputs: string[],
  opts: { intraOpThreads?: number } = {},
): Promise<ort.InferenceSession> {
  const { card, onnxPath } = m
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(onnxPath, {
      intraOpNumThreads: opts.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    })
  } catch (e) {
    throw new VigilError('model.invalid', `${onnxPath}: onnxruntime cannot load it: ${(e as Error).message}`)
  }
  const inName = card.inputs.name
  const missing = outputs.filter((o) => !session.outputNames.includes(o))
  if (!session.inputNames.includes(inName) || missing.length > 0) {
    await session.release()
    throw new VigilError(
      'model.invalid',
      `${onnxPath}: graph takes [${session.inputNames.join(', ')}] and gives [${session.outputNames.join(', ')}]; ` +
        `its card says input "${inName}", output${outputs.length > 1 ? 's' : ''} ${outputs.map((o) => `"${o}"`).join(', ')}`,
    )
  }
  return session
}
