import { openAutoencoder, type Autoencoder } from '../autoencoder.ts'
import type { LoadedModel } from '../registry.ts'
import { openPca } from './pca-scorer.ts'

/** The scorer a card's kind calls for; every detector shows the autoencoder's face to its callers. */
export function openDetector(m: LoadedModel, opts: { intraOpThreads?: number } = {}): Promise<Autoencoder> {
  return m.card.kind === 'pca' ? openPca(m, opts) : openAutoencoder(m, opts)
}
