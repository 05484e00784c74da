import { useSyncExternalStore } from 'react'

export interface Route {
  viewId: string
  params: string[]
}

/** '#/asset/P-101' -> { viewId: 'asset', params: ['P-101'] }; empty or '#/' -> the default view. */
export function parseHash(hash: string, fallback: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        return p
      }
    })
  return { viewId: parts[0] ?? fallback, params: parts.slice(1) }
}

export const href = (viewId: string, ...params: string[]): string =>
  `#/${[viewId, ...params].map(encodeURIComponent).join('/')}`

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb)
  return () => window.removeEventListener('hashchange', cb)
}

/** The hash route: it survives a reload and needs nothing from the server that serves the page. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash)
}
