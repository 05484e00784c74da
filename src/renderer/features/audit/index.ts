import type { Role } from '../../../shared/alarms.ts'

export { AuditView as Component } from './AuditView.tsx'
export const id = 'audit'
export const title = 'Audit trail'
export const roles: readonly Role[] = ['admin', 'plant-head']
