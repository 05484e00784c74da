/**
 * One animation frame for the whole renderer: everything that wants to run before the next
 * paint queues here and runs in one requestAnimationFrame callback, in the order it queued.
 * The feed queues first (it applies the frame's live messages) and the charts it touches queue
 * while it runs, so they draw the new samples in the same frame rather than one frame late.
 *
 * A hidden page gets no animation frames; work queued with a deadline (the feed's) then runs
 * from a timer instead, so live messages never pile up behind a minimised window.
 *
 * Chart redraws are deferrable: once a frame has spent FRAME_BUDGET_MS on its tasks, the
 * remaining redraws move to the front of the next frame. Ten live charts whose assets all
 * report in the same frame then draw over two or three frames, one frame late at worst,
 * instead of making one frame long enough to stutter the cursor and the scrolling.
 */
type Task = () => void

/** Half a 60 Hz frame: the other half is style, layout, paint and raster. */
export const FRAME_BUDGET_MS = 8

export interface FrameOptions {
  /** Run from a timer this long after queueing if no animation frame comes (a hidden page). */
  latestMs?: number
  /** May wait for the next frame when this one has spent its budget. */
  deferrable?: boolean
}

const deferrable = new WeakSet<Task>()

const queue: Task[] = []
const queued = new Set<Task>()
/** Tasks that ran in the current pass: one queued again while running waits for the next frame. */
const ranThisPass = new Set<Task>()
const nextPass: Task[] = []
let frame = 0
let timer: ReturnType<typeof setTimeout> | undefined
let deadline = Infinity
let running = false

const hasRaf = typeof requestAnimationFrame === 'function'

function request(latestMs: number): void {
  if (hasRaf && !frame) frame = requestAnimationFrame(run)
  // Without animation frames (Node, tests) a timer is the frame.
  const wait = hasRaf ? latestMs : 0
  if (!Number.isFinite(wait)) return
  const at = performance.now() + wait
  if (timer !== undefined && deadline <= at) return
  if (timer !== undefined) clearTimeout(timer)
  deadline = at
  timer = setTimeout(() => run(), wait)
}

/** From an animation frame (a timestamp) or from the deadline timer (a hidden page: no arguments). */
function run(now?: number): void {
  const fromFrame = now !== undefined || !hasRaf
  if (frame && hasRaf) cancelAnimationFrame(frame)
  frame = 0
  if (timer !== undefined) clearTimeout(timer)
  timer = undefined
  deadline = Infinity
  running = true
  const start = performance.now()
  let ranDeferrable = false
  try {
    for (let i = 0; i < queue.length; i++) {
      const task = queue[i]!
      if (!queued.has(task)) continue
      if (deferrable.has(task)) {
        // A redraw waits for a real frame (none comes while the page is hidden), and at least
        // one runs per frame, so a slow chart cannot starve the others forever.
        if (!fromFrame || (ranDeferrable && performance.now() - start >= FRAME_BUDGET_MS)) {
          queued.delete(task)
          nextPass.push(task)
          continue
        }
        ranDeferrable = true
      }
      queued.delete(task)
      ranThisPass.add(task)
      try {
        task()
      } catch (e) {
        // One chart's failure must not stop the others drawing.
        console.error('vigil: a frame task failed', e)
      }
    }
  } finally {
    queue.length = 0
    ranThisPass.clear()
    running = false
  }
  if (nextPass.length) {
    for (const t of nextPass.splice(0)) {
      queue.push(t)
      queued.add(t)
    }
    request(Infinity)
  }
}

/** Runs `task` once in the next animation frame, however often it is queued before then. */
export function onNextFrame(task: Task, opts: FrameOptions = {}): void {
  if (opts.deferrable) deferrable.add(task)
  if (running && ranThisPass.has(task)) {
    if (!nextPass.includes(task)) nextPass.push(task)
    return
  }
  if (nextPass.includes(task)) return
  if (!queued.has(task)) {
    queued.add(task)
    queue.push(task)
  }
  request(opts.latestMs ?? Infinity)
}

/** Takes a queued task back (a chart unmounting). */
export function cancelFrame(task: Task): void {
  queued.delete(task)
  const i = nextPass.indexOf(task)
  if (i >= 0) nextPass.splice(i, 1)
}
