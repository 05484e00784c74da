/**
 * Builds model input windows from a stream of samples without allocating per sample: a ring
 * of the last `window` rows, each row one value per model input tag. Every `stride` samples
 * (stride 1 = every new window) the ring is copied, oldest row first, into the caller's
 * output buffer. A missing value is held at the tag's last good value (its quality already
 * says it is missing); until every tag has had one good value no window is emitted.
 */
export class WindowAssembler {
  readonly window: number
  readonly tags: number
  /** Changed at run time when the engine sheds load (engine/load-shed.ts). */
  stride: number
  /** Completed windows not emitted because of the stride: what load shedding saved. */
  skipped = 0
  private readonly ring: Float64Array
  private readonly lastGood: Float64Array
  private head = 0
  private filled = 0
  private sinceEmit = 0

  constructor(window: number, tags: number, stride = 1) {
    this.window = window
    this.tags = tags
    this.stride = stride
    this.ring = new Float64Array(window * tags)
    this.lastGood = new Float64Array(tags).fill(NaN)
  }

  /**
   * Pushes samples [from, to) of `columns` (already in model tag order) and writes every
   * completed window into `out` starting at window index `outIndex`. Returns how many it
   * wrote; `ends` receives the sample index each window ends at.
   */
  push(columns: Float64Array[], from: number, to: number, out: Float64Array, ends: Int32Array): number {
    const F = this.tags
    const W = this.window
    let n = 0
    for (let i = from; i < to; i++) {
      const base = this.head * F
      let complete = true
      for (let k = 0; k < F; k++) {
        const x = columns[k]![i]!
        if (x === x && x !== Infinity && x !== -Infinity) this.lastGood[k] = x
        const held = this.lastGood[k]!
        if (held !== held) complete = false
        this.ring[base + k] = held
      }
      this.head = (this.head + 1) % W
      if (!complete) {
        this.filled = 0
        continue
      }
      if (this.filled < W) this.filled++
      if (this.filled < W) continue
      if (++this.sinceEmit < this.stride) {
        this.skipped++
        continue
      }
      this.sinceEmit = 0
      if ((n + 1) * W * F > out.length) break
      // head now points at the oldest row: copy [head, W) then [0, head).
      const o = n * W * F
      const split = this.head * F
      out.set(this.ring.subarray(split), o)
      out.set(this.ring.subarray(0, split), o + (W * F - split))
      ends[n] = i
      n++
    }
    return n
  }
}
