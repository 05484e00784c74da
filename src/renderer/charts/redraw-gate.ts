/**
 * Whether a live trend's picture would change if it were redrawn now. New samples spanning less
 * than one pixel of the window move it by less than a pixel, so they wait for the next redraw
 * (at most one pixel's worth of time: 0.7 s on a 10-minute window 840 px wide); a change of a
 * tag's colour (the model's verdict on it), a refilled ring or a new width redraws at once.
 * A wall of ten 10 Hz charts then redraws about 1.5 times a second each instead of ten.
 */
export class RedrawGate {
  private t = NaN
  private clears = -1
  private px = 0
  private readonly states: Uint8Array

  constructor(tags: number) {
    this.states = new Uint8Array(tags).fill(255)
  }

  /**
   * newest: time of the newest sample; clears: the ring's clear count; px: plot width;
   * states(i): tag i's sensor state. True (and remembered as drawn) when a redraw is due.
   */
  due(newest: number, windowMs: number, clears: number, px: number, states: (i: number) => number): boolean {
    let recoloured = false
    for (let i = 0; i < this.states.length; i++) {
      const s = states(i)
      if (s !== this.states[i]) recoloured = true
      this.states[i] = s
    }
    const moved = newest - this.t
    if (!recoloured && clears === this.clears && px === this.px && moved >= 0 && moved < windowMs / px)
      return false
    this.t = newest
    this.clears = clears
    this.px = px
    return true
  }
}
