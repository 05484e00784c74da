export { AlarmsView as Component } from './AlarmsView.tsx'
export const id = 'alarms'
export const title = 'Alarms'
