export { AssetPage as Component } from './AssetPage.tsx'
export const id = 'asset'
export const title = 'Asset'
export const perAsset = true
