import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HistoryStats } from '../../shared/contract.ts'
import { createEngine } from '../engine/engine.ts'
import { tempDir } from './test-plant.ts'

let tmp: ReturnType<typeof tempDir>
const children: ChildProcess[] = []
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => {
  // A child left running by a failed test would go on writing: stop it first.
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  tmp.remove()
})

/** Starts the ingesting child and resolves with it once it has reported `reports` commits. */
function ingest(
  db: string,
  reports: number,
): Promise<{ kill: () => Promise<number>; committed: () => number }> {
  const child = spawn(process.execPath, ['src/main/store/ingest-child.ts', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let committed = 0
  let seen = 0
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? 9 : 0)),
  )
  return new Promise((resolve, reject) => {
    child.on('exit', () => reject(new Error(`the child exited before it reported: ${err}`)))
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/committed (\d+)/g)) {
        committed = Math.max(committed, Number(m[1]))
        if (++seen === reports)
          resolve({
            committed: () => committed,
            kill: () => {
              child.kill('SIGKILL')
              return exited
            },
          })
      }
    })
  })
}

describe('a crash while ingesting', () => {
  it('survives kill -9: the file checks ok, every reported commit is there, and the engine carries on', async () => {
    const db = tmp.file('history.db')
    const child = await ingest(db, 8)
    // Lets the writer get well into its next transaction before the kill.
    await new Promise((r) => setTimeout(r, 150))
    const before = child.committed()
    expect(await child.kill()).toBe(9)
    expect(before).toBeGreaterThan(600)

    const check = new Database(db, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    const stored = check.prepare('SELECT coalesce(sum(n), 0) FROM time_blocks').pluck().get() as number
    check.close()
    expect(stored).toBeGreaterThanOrEqual(before)

    // Restart on the same file: the open block left unsealed is picked up and ingestion goes on.
    const engine = await createEngine({ dbPath: db, dbPathGiven: true, simSpeed: 600 })
    try {
      const stats = async () => {
        await engine.settle()
        const r = await engine.dispatch('history.stats', {})
        if (!r.ok) throw new Error(r.error.message)
        return r.value as HistoryStats
      }
      const start = (await stats()).samples
      expect(start).toBeGreaterThanOrEqual(stored)
      const end = Date.now() + 20_000
      while ((await stats()).samples < start + 1200 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 200))
      const after = await stats()
      expect(after.samples).toBeGreaterThanOrEqual(start + 1200)
      expect(after.status.state).toBe('ok')
    } finally {
      await engine.stop()
    }
    const final = new Database(db, { readonly: true })
    expect(final.pragma('integrity_check', { simple: true })).toBe('ok')
    final.close()
  })
})
