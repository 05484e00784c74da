export { HealthView as Component } from './HealthView.tsx'
export const id = 'health'
export const title = 'System health'
