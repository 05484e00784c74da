import { useSession } from '../state/use-live.ts'
import { AlarmBanner } from '../features/alarms/AlarmBanner.tsx'
import { SessionControl } from '../features/alarms/SessionControl.tsx'
import { AbnormalBanner } from './AbnormalBanner.tsx'
import { ConnectionBanner } from './ConnectionBanner.tsx'
import { href, parseHash, useHash } from './router.ts'
import { defaultView, views } from './views.ts'

function ConnectionPill() {
  const state = useSession((s) => s.connection.state)
  const text = state === 'open' ? 'Connected' : state === 'connecting' ? 'Connecting…' : 'Disconnected'
  return (
    <span className={`pill conn-${state}`} data-testid="connection">
      {text}
    </span>
  )
}

/** Shell: navigation, the alarm and connection banners, and the routed view. */
export function App() {
  const route = parseHash(useHash(), defaultView)
  const plant = useSession((s) => s.plant)
  const view = views.find((v) => v.id === route.viewId)
  const firstAsset = plant?.assets[0]?.id
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">VIGIL</span>
        <span className="plant-name">{plant?.name ?? ''}</span>
        <nav>
          {views.flatMap((v) =>
            v.perAsset
              ? (plant?.assets ?? []).map((a) => (
                  <a
                    key={`${v.id}/${a.id}`}
                    href={href(v.id, a.id)}
                    aria-current={route.viewId === v.id && route.params[0] === a.id ? 'page' : undefined}
                  >
                    {a.id}
                  </a>
                ))
              : [
                  <a key={v.id} href={href(v.id)} aria-current={route.viewId === v.id ? 'page' : undefined}>
                    {v.title}
                  </a>,
                ],
          )}
        </nav>
        <SessionControl />
        <ConnectionPill />
      </header>
      <div className="banners">
        <ConnectionBanner />
        <AlarmBanner />
        <AbnormalBanner />
      </div>
      <main>
        {view ? (
          <view.Component
            key={`${view.id}/${route.params.join('/')}`}
            params={view.perAsset && route.params.length === 0 && firstAsset ? [firstAsset] : route.params}
          />
        ) : (
          <p className="empty">
            No view named “{route.viewId}”. <a href={href(defaultView)}>Back to the overview</a>
          </p>
        )}
      </main>
    </div>
  )
}
