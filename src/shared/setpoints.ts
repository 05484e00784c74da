/**
 * A setpoint a simulated asset takes: what an optimizer suggests, or a demo tries. Vigil
 * never writes to a real plant; a simulator acts on it so the effect can be watched, and the
 * call that set it is in the audit trail.
 */
export interface SetpointInfo {
  /** The tag the setpoint steers (its measured value follows). */
  tag: string
  unit: string
  min: number
  max: number
  /** What the asset steers to now. */
  value: number
  /** true while a value set from outside holds; false while the asset's own schedule steers. */
  held: boolean
  /** Simulated time (epoch ms) it was last set from outside. */
  setAt?: number
}
