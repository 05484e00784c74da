import type { Role } from '../../../shared/alarms.ts'

export { EngineeringView as Component } from './EngineeringView.tsx'
export const id = 'engineering'
export const title = 'Sensor health'
export const roles: readonly Role[] = ['engineer', 'plant-head']
