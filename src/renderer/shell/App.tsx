import { useAuth } from '../state/auth-store.ts'
import { useSession } from '../state/use-live.ts'
import { AlarmBanner } from '../features/alarms/AlarmBanner.tsx'
import { SessionControl } from '../features/alarms/SessionControl.tsx'
import { AbnormalBanner } from './AbnormalBanner.tsx'
import { ConnectionBanner } from './ConnectionBanner.tsx'
import { DisplaySettings } from './DisplaySettings.tsx'
import { useSettings } from '../state/settings-store.ts'
import { landingFor, mayShow, visibleViews } from './nav-roles.ts'
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
  const principal = useAuth((s) => s.principal)
  // Each role lands on what it opens Vigil for, and its navigation offers only its views.
  const route = parseHash(useHash(), landingFor(principal, defaultView))
  const plant = useSession((s) => s.plant)
  const view = views.find((v) => v.id === route.viewId)
  const nav = visibleViews(views, principal)
  const firstAsset = plant?.assets[0]?.id
  // Charts take the palette when built: a theme change rebuilds the view (shell/theme.ts).
  const theme = useSettings((s) => s.theme)
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">VIGIL</span>
        <span className="plant-name">{plant?.name ?? ''}</span>
        <nav>
          {nav.flatMap((v) =>
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
        <DisplaySettings />
        <SessionControl />
        <ConnectionPill />
      </header>
      <div className="banners">
        <ConnectionBanner />
        <AlarmBanner />
        <AbnormalBanner />
      </div>
      <main>
        {view && !mayShow(view, principal) ? (
          <p className="empty" data-testid="not-for-role">
            “{view.title}” is not among the views of the {principal?.role} role: sign in with a role that uses
            it, or <a href={href(landingFor(principal, defaultView))}>go to your first view</a>.
          </p>
        ) : view ? (
          <view.Component
            key={`${view.id}/${route.params.join('/')}/${theme}`}
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
