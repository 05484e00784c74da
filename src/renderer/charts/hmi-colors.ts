/*
 * ISA-101 high-performance palette for canvases (styles/hmi.css holds the same values for
 * the DOM). Normal is grey and muted blue; colour appears only for the abnormal, by priority.
 */
export const hmi = {
  text: '#1d1d1d',
  axis: '#555555',
  grid: '#cfcfcf',
  /** Normal trends: dark to light muted blue-grey, told apart by dash as well as shade. */
  trend: ['#27435f', '#6b7f94', '#2a2a2a', '#8797a8'],
  dash: [[], [8, 4], [2, 3], [12, 3, 2, 3]] as number[][],
  threshold: '#3a3a3a',
  limit: '#777777',
  critical: '#c8102e',
  warning: '#d98200',
  low: '#d4b800',
  font: '14px system-ui, "Segoe UI", Roboto, sans-serif',
} as const
