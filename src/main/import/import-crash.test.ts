import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import type { SeriesBlock } from '../../shared/contract.ts'
import { createEngine } from '../engine/engine.ts'
import { appRoot } from '../paths.ts'
import { scratch, writeSensorCsv } from './test-files.ts'

const tmp = scratch('vigil-import-crash-')
afterAll(() => tmp.remove())

const T0 = Date.UTC(2024, 0, 1)
const ROWS = 1_000_000

/** Runs `vigil import` as a real process and kills it with SIGKILL once it is writing. */
async function importAndKill(csv: string, db: string): Promise<{ signal: string | null; output: string }> {
  const child = spawn(process.execPath, ['bin/vigil.mjs', 'import', csv, '--asset', 'LOG-1', '--db', db], {
    cwd: appRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<string | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)))
  // Kill once the import has written well into its staging area (the WAL grows past 4 MB),
  // that is, mid-import rather than before it began or after it committed.
  const wal = `${db}-wal`
  const end = Date.now() + 60_000
  while (Date.now() < end && child.exitCode === null) {
    if (existsSync(wal) && statSync(wal).size > 4 * 1024 * 1024) break
    await new Promise((r) => setTimeout(r, 20))
  }
  child.kill('SIGKILL')
  return { signal: await exited, output }
}

describe('kill -9 during an import', () => {
  it('leaves a sound file without any of the partial import, and the engine carries on', async () => {
    const csv = tmp.file('big.csv')
    writeSensorCsv(csv, ROWS, 10, T0)
    const db = tmp.file('history.db')
    const { signal, output } = await importAndKill(csv, db)
    expect(signal, `the import finished before it could be killed:\n${output}`).toBe('SIGKILL')

    const check = new Database(db, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    check.close()

    // The partial import is absent: the asset has no rows at all (or does not exist).
    const engine = await createEngine({ dbPath: db, simSpeed: 100 })
    try {
      const r = await engine.dispatch('history.range', {
        assetId: 'LOG-1',
        from: T0,
        to: T0 + ROWS * 1000,
        maxPoints: 1000,
      })
      if (r.ok) expect((r.value as SeriesBlock).t.length).toBe(0)
      else expect(r.error.code).toBe('not-found')

      // And the engine on that file carries on ingesting live data.
      let samples = 0
      engine.subscribe((m) => {
        if (m.topic === 'samples') samples += m.batch.t.length
      })
      const until = Date.now() + 20_000
      while (samples < 100 && Date.now() < until) await new Promise((res) => setTimeout(res, 50))
      await engine.settle()
      expect(samples).toBeGreaterThanOrEqual(100)
    } finally {
      await engine.stop()
    }

    // A second import of the same file, run to the end, is whole.
    const done = spawn(process.execPath, ['bin/vigil.mjs', 'import', csv, '--asset', 'LOG-1', '--db', db], {
      cwd: appRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    done.stdout.on('data', (d: Buffer) => (out += d.toString()))
    done.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((resolve) => done.on('exit', (c) => resolve(c)))
    expect(code, out).toBe(0)
    const after = new Database(db, { readonly: true })
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok')
    after.close()
    expect(out).toContain(`rows imported: ${ROWS}`)
    expect(out).toContain('rows rejected: 0')
  }, 180_000)
})
