export { MaintenanceView as Component } from './MaintenanceView.tsx'
export const id = 'maintenance'
export const title = 'Maintenance'
