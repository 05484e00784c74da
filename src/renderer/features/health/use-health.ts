import { useEffect, useState } from 'react'
import type { Health, HistoryStats } from '../../../shared/contract.ts'
import { call, errorText } from '../../api/index.ts'
import { ratesBetween, type HealthReading, type Rates } from './health-rates.ts'

const HEALTH_MS = 2000
/** The history file's statistics read the whole file's page counts: a slower poll. */
const STATS_MS = 10_000

export interface HealthPicture {
  health: Health | null
  rates: Rates | null
  stats: HistoryStats | null
  error: string | null
}

/** Polls system.health and history.stats: slow numbers, not a stream, so a poll is enough. */
export function useHealth(): HealthPicture {
  const [pic, setPic] = useState<HealthPicture>({ health: null, rates: null, stats: null, error: null })
  useEffect(() => {
    let alive = true
    let prev: HealthReading | null = null
    const timers: ReturnType<typeof setTimeout>[] = []
    const pollHealth = async () => {
      try {
        const h = await call('system.health', {})
        const cur = { h, at: performance.now() }
        const rates = ratesBetween(prev, cur)
        prev = cur
        // The last rates stay on screen until two readings make new ones.
        if (alive) setPic((p) => ({ ...p, health: h, rates: rates ?? p.rates, error: null }))
      } catch (e) {
        if (alive) setPic((p) => ({ ...p, error: errorText(e) }))
      }
      if (alive) timers[0] = setTimeout(pollHealth, HEALTH_MS)
    }
    const pollStats = async () => {
      try {
        const stats = await call('history.stats', {})
        if (alive) setPic((p) => ({ ...p, stats }))
      } catch (e) {
        if (alive) setPic((p) => ({ ...p, error: errorText(e) }))
      }
      if (alive) timers[1] = setTimeout(pollStats, STATS_MS)
    }
    void pollHealth()
    void pollStats()
    return () => {
      alive = false
      for (const t of timers) clearTimeout(t)
    }
  }, [])
  return pic
}
