import { DETECTOR_KINDS } from '../../shared/model-card.ts'

/**
 * Whether an asset's model scores windows (autoencoder, pca, classifier) rather than predicting
 * (rul, defect, policy): only detectors give an asset its NORMAL / ANOMALY state and score
 * trend. A model listed without a kind is from an engine before kinds: a detector.
 */
export const isDetector = (m: { kind?: string }): boolean =>
  !m.kind || (DETECTOR_KINDS as readonly string[]).includes(m.kind)
