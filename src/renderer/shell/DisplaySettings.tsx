import { useEffect, useRef } from 'react'
import { Priorities } from '../../shared/alarms.ts'
import type { ThemeName } from '../charts/hmi-colors.ts'
import { playTone } from '../features/alarms/alarm-sound.ts'
import { setSettings, useSettings } from '../state/settings-store.ts'
import { themeTitles } from './theme.ts'

/**
 * This screen's settings, in the top bar: the theme for the room it is in and the alarm
 * sound. Saved in this browser only (state/settings-store.ts).
 */
export function DisplaySettings() {
  const theme = useSettings((s) => s.theme)
  const sound = useSettings((s) => s.alarmSound)
  const ref = useRef<HTMLDetailsElement>(null)
  // A menu closes when the user clicks elsewhere or presses Escape, not only on its own button.
  useEffect(() => {
    const close = (e: Event) => {
      const d = ref.current
      if (!d?.open) return
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !d.contains(e.target as Node)) d.open = false
    }
    document.addEventListener('pointerdown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('pointerdown', close)
      document.removeEventListener('keydown', close)
    }
  }, [])
  return (
    <details className="display-settings" data-testid="display-settings" ref={ref}>
      <summary>Display</summary>
      <div className="panel settings-panel">
        <fieldset>
          <legend>Theme</legend>
          {(Object.keys(themeTitles) as ThemeName[]).map((t) => (
            <label key={t}>
              <input
                type="radio"
                name="theme"
                value={t}
                checked={theme === t}
                onChange={() => setSettings({ theme: t })}
              />{' '}
              {themeTitles[t]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Alarm sound</legend>
          <label>
            <input
              type="checkbox"
              checked={sound}
              data-testid="alarm-sound"
              onChange={(e) => {
                setSettings({ alarmSound: e.target.checked })
                // This click is the gesture the browser needs before it lets the page make sound.
                if (e.target.checked) playTone('low')
              }}
            />{' '}
            Sound new alarms (a tone per priority)
          </label>
          <div className="tone-tests">
            {Priorities.map((p) => (
              <button key={p} type="button" className="small" disabled={!sound} onClick={() => playTone(p)}>
                {p}
              </button>
            ))}
          </div>
        </fieldset>
      </div>
    </details>
  )
}
