import { useEffect, useState } from 'react'
import { dismiss, sessionStore } from '../state/session-store.ts'
import { useSession } from '../state/use-live.ts'

function useSecondsUntil(at: number | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (at === undefined) return
    const timer = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(timer)
  }, [at])
  return at === undefined ? 0 : Math.max(0, Math.ceil((at - now) / 1000))
}

/** Connection loss and failed calls: what went wrong and what happens next, in words. */
export function ConnectionBanner() {
  const conn = useSession((s) => s.connection)
  const notices = useSession((s) => s.notices)
  const wait = useSecondsUntil(conn.state === 'closed' ? conn.retryAt : undefined)
  return (
    <>
      {conn.state === 'closed' && (
        <div className="banner banner-critical" role="alert" data-testid="disconnected">
          <strong>Disconnected from the engine</strong>
          <span>
            {conn.reason ?? 'connection lost'}. Values shown are frozen. Reconnecting{' '}
            {wait > 0 ? `in ${wait} s` : 'now'}…
          </span>
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className="banner banner-warning" role="alert" data-testid="notice">
          <span>{n.text}</span>
          <button type="button" className="link" onClick={() => dismiss(sessionStore, n.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  )
}
