import type { Role } from '../../../shared/alarms.ts'

export { ManagementView as Component } from './ManagementView.tsx'
export const id = 'management'
export const title = 'Financial risk'
export const roles: readonly Role[] = ['management']
