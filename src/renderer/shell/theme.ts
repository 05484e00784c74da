import { hmi, palettes, type ThemeName } from '../charts/hmi-colors.ts'

export const themeTitles: Record<ThemeName, string> = {
  office: 'Light (office)',
  'control-room': 'Dark (control room)',
}

/** Puts a theme in force: CSS variables by the root's data-theme, the canvas palette by hmi. */
export function applyTheme(t: ThemeName): void {
  Object.assign(hmi, palettes[t])
  document.documentElement.dataset.theme = t
}
