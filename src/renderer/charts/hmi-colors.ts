/*
 * ISA-101 high-performance palettes for canvases (styles/hmi.css holds the same values for
 * the DOM). Normal is grey and muted blue; colour appears only for the abnormal, by priority.
 * `hmi` is the palette in force: charts read it when they are built, and the shell rebuilds
 * the view when the theme changes (shell/theme.ts), so a canvas never mixes two themes.
 */
export interface Palette {
  text: string
  axis: string
  grid: string
  /** Normal trends: muted blue-grey shades, told apart by dash as well as shade. */
  trend: [string, string, string, string]
  dash: number[][]
  threshold: string
  limit: string
  critical: string
  warning: string
  low: string
  font: string
}

const font = '14px system-ui, "Segoe UI", Roboto, sans-serif'
const dash: number[][] = [[], [8, 4], [2, 3], [12, 3, 2, 3]]

export const palettes = {
  /** Light grey: an office or a bright room. */
  office: {
    text: '#1d1d1d',
    axis: '#555555',
    grid: '#cfcfcf',
    trend: ['#27435f', '#6b7f94', '#2a2a2a', '#8797a8'] as Palette['trend'],
    dash,
    threshold: '#3a3a3a',
    limit: '#777777',
    critical: '#c8102e',
    warning: '#d98200',
    low: '#d4b800',
    font,
  },
  /** Dark grey: a dimmed control room, where a bright screen tires the eye over a shift. */
  'control-room': {
    text: '#d9dcdf',
    axis: '#a4abb2',
    grid: '#3a3f45',
    trend: ['#9fb4c9', '#7d8fa3', '#c8cdd2', '#6c7a89'] as Palette['trend'],
    dash,
    threshold: '#c8cdd2',
    limit: '#8a9096',
    critical: '#e0203d',
    warning: '#e89a1a',
    low: '#e3c800',
    font,
  },
} satisfies Record<string, Palette>

export type ThemeName = keyof typeof palettes

export const hmi: Palette = { ...palettes.office, trend: [...palettes.office.trend] }
