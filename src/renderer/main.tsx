import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectClient, installClient } from './api/index.ts'
import { App } from './shell/App.tsx'
import { startFeed } from './state/feed.ts'
import { liveStore } from './state/live-store.ts'
import { settingsStore } from './state/settings-store.ts'
import { applyTheme } from './shell/theme.ts'
import { startAlarmSound } from './features/alarms/alarm-sound.ts'
import './styles/hmi.css'

const client = connectClient(window)
installClient(client)
startFeed(client)
// A browser test that defined window.__vigilTest before the page loaded gets the live store, to
// relate the charts' redraws to its updates (e2e/live-redraw.test.ts); nothing else reads it.
const testHooks = (window as { __vigilTest?: { liveStore?: unknown } }).__vigilTest
if (testHooks) testHooks.liveStore = liveStore
startAlarmSound()
// The theme applies before the first render and whenever the setting changes.
applyTheme(settingsStore.getState().theme)
settingsStore.subscribe((s, prev) => s.theme !== prev.theme && applyTheme(s.theme))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
