import { DETECTOR_KINDS } from '../../../shared/model-card.ts'
import { VigilError } from '../../../shared/errors.ts'
import { openAutoencoder, type Autoencoder } from '../autoencoder.ts'
import { openClassifier } from '../classifier-scorer.ts'
import type { LoadedModel } from '../registry.ts'
import { openPca } from './pca-scorer.ts'

/** A card kind whose scorer is a window detector (the rest are predictors: predictor.ts). */
export const isDetector = (m: LoadedModel): boolean =>
  (DETECTOR_KINDS as readonly string[]).includes(m.card.kind)

/** The scorer a card's kind calls for; every detector shows the autoencoder's face to its callers. */
export function openDetector(m: LoadedModel, opts: { intraOpThreads?: number } = {}): Promise<Autoencoder> {
  const kind = m.card.kind
  if (kind === 'pca') return openPca(m, opts)
  if (kind === 'classifier') return openClassifier(m, opts)
  if (kind === 'autoencoder') return openAutoencoder(m, opts)
  return Promise.reject(
    new VigilError('model.invalid', `${m.onnxPath}: kind "${kind}" is a predictor, not a window detector`),
  )
}
