import type { Role } from '../../../shared/alarms.ts'

export { SourcesView as Component } from './SourcesView.tsx'
export const id = 'sources'
export const title = 'Sources'
export const roles: readonly Role[] = ['operator', 'engineer', 'admin']
