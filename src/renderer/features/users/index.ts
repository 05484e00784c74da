import type { Role } from '../../../shared/alarms.ts'

export { UsersView as Component } from './UsersView.tsx'
export const id = 'users'
export const title = 'Users'
export const roles: readonly Role[] = ['admin']
