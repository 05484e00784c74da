import type { Role } from '../../../shared/alarms.ts'

export { PlantHeadView as Component } from './PlantHeadView.tsx'
export const id = 'plant-head'
export const title = 'Operations'
export const roles: readonly Role[] = ['plant-head']
