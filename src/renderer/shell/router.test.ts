import { describe, expect, it } from 'vitest'
import { href, parseHash } from './router.ts'

describe('hash routes', () => {
  it('reads the view and its params, falling back to the default view', () => {
    expect(parseHash('#/asset/P-101', 'overview')).toEqual({ viewId: 'asset', params: ['P-101'] })
    expect(parseHash('', 'overview')).toEqual({ viewId: 'overview', params: [] })
    expect(parseHash('#/', 'overview')).toEqual({ viewId: 'overview', params: [] })
  })

  it('round-trips asset ids that need escaping, and survives a malformed escape', () => {
    expect(parseHash(href('asset', 'Line 2/P-7%'), 'overview')).toEqual({
      viewId: 'asset',
      params: ['Line 2/P-7%'],
    })
    expect(parseHash('#/asset/%E0%A4%A', 'overview').params).toEqual(['%E0%A4%A'])
  })
})
