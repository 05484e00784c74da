import { describe, expect, it, vi } from 'vitest'
import { cancelFrame, FRAME_BUDGET_MS, onNextFrame } from './frame-loop.ts'

// Under Node there are no animation frames: the loop's timer stands in for one.
const nextFrame = () => new Promise((r) => setTimeout(r, 5))

describe('frame loop', () => {
  it('runs a task once however often it was queued, and what it queues runs in the same frame', async () => {
    const order: string[] = []
    const draw = () => order.push('draw')
    const apply = () => {
      order.push('apply')
      onNextFrame(draw)
    }
    onNextFrame(apply)
    onNextFrame(apply)
    onNextFrame(draw)
    await nextFrame()
    // draw was queued before apply ran: it runs once, after apply, in the same pass.
    expect(order).toEqual(['apply', 'draw'])
  })

  it('puts a task that queues itself while running into the next frame, not a loop', async () => {
    let runs = 0
    const again = () => {
      runs++
      if (runs < 3) onNextFrame(again)
    }
    onNextFrame(again)
    await nextFrame()
    await nextFrame()
    await nextFrame()
    expect(runs).toBe(3)
  })

  it('drops a cancelled task and keeps drawing the others when one throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const ran: string[] = []
    const gone = () => ran.push('gone')
    onNextFrame(() => {
      throw new Error('broken chart')
    })
    onNextFrame(gone)
    onNextFrame(() => ran.push('other'))
    cancelFrame(gone)
    await nextFrame()
    expect(ran).toEqual(['other'])
    expect(error).toHaveBeenCalledTimes(1)
    error.mockRestore()
  })
  it('moves redraws past the frame budget to the front of the next frame; the rest still run', async () => {
    const ran: string[] = []
    const busy = (name: string) => () => {
      ran.push(name)
      const until = performance.now() + FRAME_BUDGET_MS * 0.6
      while (performance.now() < until);
    }
    const apply = () => ran.push('apply')
    const [a, b, c] = [busy('a'), busy('b'), busy('c')]
    for (const t of [a, b, c]) onNextFrame(t, { deferrable: true })
    onNextFrame(apply)
    await nextFrame()
    // c starts at least 1.2 budgets in: it waits; the feed's apply is never deferred.
    expect(ran).toContain('a')
    expect(ran).toContain('apply')
    expect(ran).not.toContain('c')
    for (let i = 0; i < 3 && !ran.includes('c'); i++) await nextFrame()
    expect([...ran].sort()).toEqual(['a', 'apply', 'b', 'c'])
  })
})
