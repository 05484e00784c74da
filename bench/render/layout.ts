/** The same screen for both sides: two columns of five charts on 1920x1080. */
export const WINDOW_S = 600
export const CHART_HEIGHT = 150
export const gridStyle = {
  display: 'grid',
  gridTemplateColumns: '1fr 1fr',
  gap: '8px',
  padding: '8px',
} as const
