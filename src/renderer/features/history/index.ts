import type { Role } from '../../../shared/alarms.ts'

export { HistoryView as Component } from './HistoryView.tsx'
export const id = 'history'
export const title = 'History'
export const roles: readonly Role[] = ['operator', 'engineer', 'plant-head']
