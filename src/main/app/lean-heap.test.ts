import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { findJemalloc, leanStart } from '../../../bin/lean-start.mjs'
import { applyLeanHeap } from './lean-heap.ts'

describe('applyLeanHeap', () => {
  it('sets the same V8 flags as vigil serve’s lean start, one at a time', () => {
    const set: string[] = []
    const applied = applyLeanHeap({}, (f) => set.push(f))
    expect(set).toEqual(leanStart({}).execArgv)
    expect(applied).toEqual(set)
    expect(set).toContain('--optimize-for-size')
  })

  it('keeps V8’s defaults when VIGIL_LEAN=0', () => {
    const set: string[] = []
    expect(applyLeanHeap({ VIGIL_LEAN: '0' }, (f) => set.push(f))).toEqual([])
    expect(set).toEqual([])
  })

  it('gives worker threads started afterwards the small young generation', () => {
    // A real process: the flags set at run time must reach an isolate made after them.
    const script = `
      import { applyLeanHeap } from ${JSON.stringify(new URL('./lean-heap.ts', import.meta.url).href)}
      import { Worker } from 'node:worker_threads'
      // Short-lived garbage makes V8 grow the young generation as far as it is allowed.
      const probe = "const v8 = require('node:v8'); let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 2e5) keep = [] }" +
        "; require('node:worker_threads').parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)"
      const newSpace = () => new Promise((ok) => new Worker(probe, { eval: true, execArgv: [] }).once('message', ok))
      const before = await newSpace()
      if (process.argv.includes('lean')) applyLeanHeap({})
      const after = await newSpace()
      console.log(JSON.stringify({ before, after }))
    `
    const run = (mode: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script, mode], { encoding: 'utf8' }),
      ) as { before: number; after: number }
    const plain = run('plain')
    const lean = run('lean')
    // Without the flags V8 grows a busy thread's new space to 32 MB here; with them it stays
    // within 4 MB semi-spaces (1 MB measured).
    expect(lean.before).toBe(plain.before)
    expect(lean.after).toBeLessThanOrEqual(8 * 1024 * 1024)
    expect(plain.after).toBeGreaterThan(2 * lean.after)
  })
})

describe('leanStart (vigil serve)', () => {
  it('preloads jemalloc where the system has it, and leaves a user’s own preload alone', () => {
    const jem = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'
    expect(findJemalloc((p) => p === jem, 'linux')).toBe(jem)
    expect(findJemalloc(() => true, 'win32')).toBeNull()
    expect(findJemalloc(() => false, 'linux')).toBeNull()
    expect(leanStart({}, jem).env).toMatchObject({
      LD_PRELOAD: jem,
      MALLOC_CONF: 'background_thread:true,narenas:2',
    })
    expect(leanStart({ LD_PRELOAD: '/opt/my.so' }, jem).env.LD_PRELOAD).toBeUndefined()
    expect(leanStart({ MALLOC_CONF: 'narenas:1' }, jem).env.MALLOC_CONF).toBe('narenas:1')
    expect(leanStart({}, null).env).toEqual({ MALLOC_ARENA_MAX: '2', VIGIL_LEAN_START: '1' })
  })
})
