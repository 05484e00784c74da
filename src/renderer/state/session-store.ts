import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AssetView } from '../../shared/contract.ts'
import type { Connection } from '../api/client.ts'

export interface Notice {
  id: number
  text: string
  at: number
}

/** What the shell shows about the session: the plant, the connection and failed calls. */
export interface SessionState {
  plant: { name: string; assets: AssetView[] } | null
  connection: Connection
  notices: Notice[]
  /**
   * How many times the served models changed while this window was open (the engine's 'models'
   * messages, each applied once the plant above is re-read): views holding models.list read
   * it again when this moves.
   */
  modelsRevision: number
}
export type SessionStore = StoreApi<SessionState>

export const createSessionStore = (): SessionStore =>
  createStore<SessionState>(() => ({
    plant: null,
    connection: { state: 'connecting' },
    notices: [],
    modelsRevision: 0,
  }))

let nextNotice = 1
/** The banner keeps the latest few; the same text again moves to the top instead of stacking. */
export function notify(store: SessionStore, text: string): void {
  store.setState((s) => ({
    notices: [{ id: nextNotice++, text, at: Date.now() }, ...s.notices.filter((n) => n.text !== text)].slice(
      0,
      4,
    ),
  }))
}

export function dismiss(store: SessionStore, id: number): void {
  store.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }))
}

export const sessionStore = createSessionStore()
