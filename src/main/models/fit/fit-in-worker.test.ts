import { describe, expect, it } from 'vitest'
import { VigilError } from '../../../shared/errors.ts'
import { fitPcaInWorker } from './fit-in-worker.ts'
import { fitPca } from './pca-fit.ts'
import { correlatedColumns } from './synthetic.ts'

const tags = ['a', 'b', 'c', 'd', 'e', 'f']
const cols = correlatedColumns(5000, tags.length, 2, 19)

describe('fitting in a worker thread', () => {
  it('gives the model the calling thread would fit, and leaves the caller its columns', async () => {
    const here = fitPca(cols, tags, { percentile: 98 })
    const there = await fitPcaInWorker(cols, tags, { percentile: 98 })
    expect(cols[0]!.length).toBe(5000)
    expect(there.components).toBe(here.components)
    expect(there.limitsFrom).toBe('out-of-fold')
    expect(Array.from(there.loadings)).toEqual(Array.from(here.loadings))
    expect([there.t2Limit, there.qLimit]).toEqual([here.t2Limit, here.qLimit])
    expect(there.training.rows).toBe(5000)
  })

  it('brings a fit error back with its code and message', async () => {
    const err = await fitPcaInWorker(
      cols.map((c) => c.subarray(0, 5)),
      tags,
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VigilError)
    expect(err).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/5 complete rows of 6 tags/),
    })
  })
})
