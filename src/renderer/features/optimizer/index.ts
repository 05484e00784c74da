import type { Role } from '../../../shared/alarms.ts'

export { OptimizerView as Component } from './OptimizerView.tsx'
export const id = 'optimizer'
export const title = 'Optimizer'
export const roles: readonly Role[] = ['operator', 'engineer', 'plant-head']
