import { describe, expect, it } from 'vitest'
import { modelChannels } from './model-channels.ts'

const fit = modelChannels['models.fit'].req
const range = { assetId: 'P-101', from: 0, to: 60_000 }

describe('the models.fit request at the boundary', () => {
  it('takes the method pca or ae, and PCA by default', () => {
    expect(fit.parse(range).method).toBeUndefined()
    expect(fit.parse({ ...range, method: 'ae', percentile: 99.5 }).method).toBe('ae')
  })

  it('refuses another method, and a PCA option with the autoencoder, naming the field', () => {
    const lstm = fit.safeParse({ ...range, method: 'lstm' })
    expect(lstm.success).toBe(false)
    expect(lstm.error?.issues[0]?.path).toEqual(['method'])
    const mixed = fit.safeParse({ ...range, method: 'ae', variance: 0.9 })
    expect(mixed.error?.issues[0]).toMatchObject({
      path: ['variance'],
      message: 'variance applies to method "pca" only',
    })
  })
})
