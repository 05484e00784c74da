/*
 * Tests only: the real pipeline worker, plus a way for a test to make its thread die at a
 * chosen moment. No production code names this file and electron-vite does not bundle it, so
 * the worker that ships has no crash switch. The test drops a file into the folder named by
 * VIGIL_TEST_FAULTS; the file holds how many batches it applies to (default 1) and is counted
 * down by each thread, so a restarted thread carries on where the dead one stopped:
 *   crash   the thread exits after scoring a batch, before answering (as a native crash would)
 *   hang    the thread never answers the batch
 *   throw   the batch is answered, then an uncaught error kills the idle thread
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import run from './pipeline.worker.ts'

// Whatever a task and its answer are, the fixture passes them through unchanged.
type Task = Parameters<typeof run>[0]
type Answer = Awaited<ReturnType<typeof run>>

function take(fault: string): boolean {
  const dir = process.env.VIGIL_TEST_FAULTS
  if (!dir) return false
  const file = join(dir, fault)
  let left: number
  try {
    left = Number(readFileSync(file, 'utf8').trim() || '1')
  } catch {
    return false
  }
  if (left <= 1) rmSync(file, { force: true })
  else writeFileSync(file, String(left - 1))
  return true
}

export default async function faulty(task: Task): Promise<Answer> {
  const out = await run(task)
  if (take('hang')) return new Promise<Answer>(() => {})
  if (take('crash')) process.exit(70)
  if (take('throw'))
    setImmediate(() => {
      throw new Error('injected fault: uncaught error in the pipeline thread')
    })
  return out
}
