/**
 * The same screen for both sides: two columns of five charts on 1920x1080, low enough that
 * all ten (with their legends) are on screen: the app does not draw a chart scrolled out of
 * view, and the bench checks that none is.
 */
export const WINDOW_S = 600
export const CHART_HEIGHT = 90
export const gridStyle = {
  display: 'grid',
  gridTemplateColumns: '1fr 1fr',
  gap: '8px',
  padding: '8px',
} as const
