import type { AlarmView, Priority } from '../../../shared/alarms.ts'
import { onLive } from '../../api/index.ts'
import { settingsStore } from '../../state/settings-store.ts'
import { alarmFeed } from './alarm-feed.ts'
import { soundCue, tones } from './sound-cue.ts'

/*
 * Audible annunciation with WebAudio: tones are synthesised in the page, so nothing is
 * downloaded and the strict Content-Security-Policy (no media sources) is untouched.
 */

let ctx: AudioContext | null = null

/**
 * Browsers start an AudioContext suspended until the user interacts with the page: the
 * settings checkbox is such a gesture, and after a reload the first click or key resumes it.
 */
function context(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null
  ctx ??= new AudioContext()
  if (ctx.state === 'suspended') void ctx.resume()
  return ctx
}

/** Plays a priority's tone: square-ish beeps with short ramps so they do not click. */
export function playTone(p: Priority): void {
  const ac = context()
  if (!ac) return
  const { hz, beeps, beepS, gapS } = tones[p]
  const gain = ac.createGain()
  gain.connect(ac.destination)
  gain.gain.value = 0
  const osc = ac.createOscillator()
  osc.type = 'triangle'
  osc.frequency.value = hz
  osc.connect(gain)
  const t0 = ac.currentTime + 0.02
  for (let i = 0; i < beeps; i++) {
    const s = t0 + i * (beepS + gapS)
    gain.gain.setValueAtTime(0, s)
    gain.gain.linearRampToValueAtTime(0.25, s + 0.01)
    gain.gain.setValueAtTime(0.25, s + beepS - 0.02)
    gain.gain.linearRampToValueAtTime(0, s + beepS)
  }
  osc.start(t0)
  osc.stop(t0 + beeps * (beepS + gapS) + 0.05)
  osc.onended = () => gain.disconnect()
}

/** How many tones have been played this page (the e2e test reads it through the DOM). */
let played = 0
export const tonesPlayed = (): number => played

/**
 * Listens to the alarm stream for the page's life and sounds new activations while the
 * setting is on. Reads the alarm picture as it was before each message, so an alarm that
 * was already waiting is not sounded again. Returns the stop.
 */
export function startAlarmSound(): () => void {
  const resume = () => {
    if (settingsStore.getState().alarmSound) context()
  }
  window.addEventListener('pointerdown', resume)
  window.addEventListener('keydown', resume)
  // What this listener has seen, over the feed's picture: the feed may merge a message first.
  const seen: Record<string, AlarmView> = {}
  const off = onLive((m) => {
    if (m.topic !== 'alarms') return
    const before = { ...alarmFeed.getState().alarms, ...seen }
    for (const a of m.alarms) seen[a.id] = a
    if (!settingsStore.getState().alarmSound) return
    const p = soundCue(before, m.alarms)
    if (p === null) return
    played++
    document.documentElement.dataset.alarmTones = String(played)
    playTone(p)
  })
  return () => {
    off()
    window.removeEventListener('pointerdown', resume)
    window.removeEventListener('keydown', resume)
  }
}
