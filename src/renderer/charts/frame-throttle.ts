import { cancelFrame, onNextFrame } from '../state/frame-loop.ts'

/**
 * Coalesces any number of kicks into one call in the renderer's next animation frame (shared
 * with the feed and every other chart, state/frame-loop.ts): the demo can push sixty batches a
 * second, the screen needs at most one redraw per frame, and a hidden window draws nothing
 * until it is shown again.
 */
export function frameThrottle(fn: () => void): { kick(): void; cancel(): void } {
  const task = () => fn()
  return {
    kick: () => onNextFrame(task, { deferrable: true }),
    cancel: () => cancelFrame(task),
  }
}
