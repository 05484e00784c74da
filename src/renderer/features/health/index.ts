import type { Role } from '../../../shared/alarms.ts'

export { HealthView as Component } from './HealthView.tsx'
export const id = 'health'
export const title = 'System health'
export const roles: readonly Role[] = ['admin']
