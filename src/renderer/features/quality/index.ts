import type { Role } from '../../../shared/alarms.ts'

export { QualityView as Component } from './QualityView.tsx'
export const id = 'quality'
export const title = 'Quality'
export const roles: readonly Role[] = ['engineer', 'plant-head', 'operator']
