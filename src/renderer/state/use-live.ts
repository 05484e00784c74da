import { useCallback, useSyncExternalStore } from 'react'
import { useStore } from 'zustand'
import { liveStore, type AssetLive } from './live-store.ts'
import { sessionStore, type SessionState } from './session-store.ts'

/**
 * An asset's live picture for React, re-rendering at most every `ms`: numbers in tables and
 * tiles need not repaint per sample (the demo can run sixty samples a second); charts read
 * the rings directly through liveStore.subscribe instead.
 */
export function useLiveAsset(id: string | undefined, ms = 250): AssetLive | undefined {
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      let seen = id ? liveStore.getState().assets[id] : undefined
      const off = liveStore.subscribe((s) => {
        const a = id ? s.assets[id] : undefined
        if (a === seen || timer !== undefined) return
        timer = setTimeout(() => {
          timer = undefined
          seen = id ? liveStore.getState().assets[id] : undefined
          notify()
        }, ms)
      })
      return () => {
        clearTimeout(timer)
        off()
      }
    },
    [id, ms],
  )
  return useSyncExternalStore(subscribe, () => (id ? liveStore.getState().assets[id] : undefined))
}

export const useSession = <T>(selector: (s: SessionState) => T): T => useStore(sessionStore, selector)
