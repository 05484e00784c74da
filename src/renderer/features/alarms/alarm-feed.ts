import { useEffect } from 'react'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { AlarmStats, AlarmView } from '../../../shared/alarms.ts'
import { call, errorText, onLive } from '../../api/index.ts'
import { refreshPrincipal } from '../../state/auth-store.ts'
import { mergeAlarms } from './alarm-select.ts'

export interface AlarmFeed {
  alarms: Record<string, AlarmView>
  stats: AlarmStats | null
  error: string | null
}

export const alarmFeed = createStore<AlarmFeed>(() => ({ alarms: {}, stats: null, error: null }))
export const useAlarms = <T>(select: (s: AlarmFeed) => T): T => useStore(alarmFeed, select)

/** A reconnect or a missed message is healed by a full list this often. */
const RELIST_MS = 5000

async function relist(): Promise<void> {
  try {
    const { alarms, stats } = await call('alarms.list', { includeNormal: true })
    alarmFeed.setState({ alarms: Object.fromEntries(alarms.map((a) => [a.id, a])), stats, error: null })
    await refreshPrincipal()
  } catch (e) {
    alarmFeed.setState({ error: errorText(e) })
  }
}

let users = 0
let stop: (() => void) | null = null

function start(): () => void {
  const off = onLive((m) => {
    if (m.topic !== 'alarms') return
    alarmFeed.setState((s) => ({ alarms: mergeAlarms(s.alarms, m.alarms), stats: m.stats }))
  })
  void relist()
  const timer = setInterval(() => void relist(), RELIST_MS)
  return () => {
    off()
    clearInterval(timer)
  }
}

/** Keeps the alarm picture live while any view or banner that shows it is mounted. */
export function useAlarmFeed(): void {
  useEffect(() => {
    if (users++ === 0) stop = start()
    return () => {
      if (--users === 0) {
        stop?.()
        stop = null
      }
    }
  }, [])
}

/** After an action: the live message usually arrives first, but the answer should not wait on it. */
export const refreshAlarms = relist
