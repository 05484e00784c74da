import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { palettes, type ThemeName } from '../charts/hmi-colors.ts'

/**
 * This screen's display settings, kept in the browser's local storage: they belong to the
 * workstation (a dim control room, a bright office), not to the plant or the user account.
 */
export interface Settings {
  theme: ThemeName
  /** Audible alarm annunciation: off by default, so a browser on a supervisor's desk stays quiet. */
  alarmSound: boolean
}

const KEY = 'vigil.settings'
export const defaults: Settings = { theme: 'office', alarmSound: false }

/** Reads saved settings, keeping only fields that are still valid (an old or hand-edited entry cannot break the UI). */
export function parseSettings(text: string | null): Settings {
  if (!text) return { ...defaults }
  try {
    const raw = JSON.parse(text) as Partial<Record<keyof Settings, unknown>>
    return {
      theme:
        typeof raw.theme === 'string' && raw.theme in palettes ? (raw.theme as ThemeName) : defaults.theme,
      alarmSound: typeof raw.alarmSound === 'boolean' ? raw.alarmSound : defaults.alarmSound,
    }
  } catch {
    return { ...defaults }
  }
}

const storage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null // storage disabled by policy: settings then last for this page only
  }
}

export const settingsStore = createStore<Settings>(() => parseSettings(storage()?.getItem(KEY) ?? null))
settingsStore.subscribe((s) => storage()?.setItem(KEY, JSON.stringify(s)))

export const useSettings = <T>(select: (s: Settings) => T): T => useStore(settingsStore, select)
export const setSettings = (p: Partial<Settings>): void => settingsStore.setState(p)
