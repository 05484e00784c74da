export { OverviewView as Component } from './OverviewView.tsx'
export const id = 'overview'
export const title = 'Overview'
