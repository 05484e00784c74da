/*
 * The process the crash test kills: the real engine ingesting the demo plant at 600x into
 * the history file given as argv[2]. After each settle (everything received so far is
 * committed) it prints `committed <samples>` from history.stats, so the test knows a lower
 * bound of what must survive a kill -9.
 *   node src/main/store/ingest-child.ts FILE.db
 */
import { createEngine } from '../engine/engine.ts'
import type { HistoryStats } from '../../shared/contract.ts'

const dbPath = process.argv[2]
if (!dbPath) throw new Error('usage: node src/main/store/ingest-child.ts FILE.db')
const engine = await createEngine({ dbPath, dbPathGiven: true, simSpeed: 600 })
for (;;) {
  await engine.settle()
  const r = await engine.dispatch('history.stats', {})
  if (!r.ok) throw new Error(`history.stats: ${r.error.message}`)
  console.log(`committed ${(r.value as HistoryStats).samples}`)
  await new Promise((resolve) => setTimeout(resolve, 200))
}
