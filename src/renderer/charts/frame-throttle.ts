/**
 * Coalesces any number of kicks into one call on the next animation frame: the demo can push
 * sixty batches a second, the screen needs at most one redraw per frame, and a hidden window
 * draws nothing until it is shown again.
 */
export function frameThrottle(fn: () => void): { kick(): void; cancel(): void } {
  let handle = 0
  return {
    kick() {
      if (handle) return
      handle = requestAnimationFrame(() => {
        handle = 0
        fn()
      })
    },
    cancel() {
      if (handle) cancelAnimationFrame(handle)
      handle = 0
    },
  }
}
