/*
 * CPU time per OS thread of this process, from /proc/self/task/<tid>/stat (Linux): the main
 * thread, the pipeline threads (onnxruntime runs inside them: intra-op threads 1), the store's
 * writer and Node's own helpers. Elsewhere it returns nothing and the figures say so.
 */
import { readdirSync, readFileSync } from 'node:fs'

const TICK_MS = 10 // USER_HZ is 100 on every Linux Node supports

export type ThreadCpu = Map<number, number>

/** CPU ms used so far by each thread, by tid. */
export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = new Map()
  let tids: string[]
  try {
    tids = readdirSync('/proc/self/task')
  } catch {
    return out
  }
  for (const tid of tids) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ')
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) * TICK_MS)
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out
}

/**
 * Each thread's share of one core between two readings, busiest first; the main thread
 * (tid = pid) is named, the rest are "thread <tid>".
 */
export function cpuShares(a: ThreadCpu, b: ThreadCpu, ms: number): { thread: string; share: number }[] {
  const rows: { thread: string; share: number }[] = []
  for (const [tid, used] of b) {
    const share = (used - (a.get(tid) ?? 0)) / ms
    if (share >= 0.005) rows.push({ thread: tid === process.pid ? 'main' : `thread ${tid}`, share })
  }
  return rows.sort((x, y) => y.share - x.share)
}
