import type { Role } from '../../../shared/alarms.ts'

export { ModelsView as Component } from './ModelsView.tsx'
export const id = 'models'
export const title = 'Models'
export const roles: readonly Role[] = ['engineer', 'admin']
