export { AssistantView as Component } from './AssistantView.tsx'
export const id = 'assistant'
export const title = 'Assistant'
