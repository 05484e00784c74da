export { ImportView as Component } from './ImportView.tsx'
export const id = 'import'
export const title = 'Import'
