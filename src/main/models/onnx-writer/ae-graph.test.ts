import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fitAutoencoder, rowScores, windowScores } from '../fit/ae-fit.ts'
import { writeFittedAutoencoder } from '../fit/fitted-autoencoder.ts'
import { openDetector } from '../fit/open-detector.ts'
import { correlatedColumns, rowMajor } from '../fit/synthetic.ts'
import { readOnnxSignature } from '../onnx-signature.ts'
import { loadModel } from '../registry.ts'
import { slideWindows } from '../windows.ts'
import { aeToOnnx } from './ae-graph.ts'

const F = 7
const tags = Array.from({ length: F }, (_, j) => `tag_${j}`)
// Levels from 1 to 7,000 (synthetic.ts): the scaling must hold a small spread on a large level.
const cols = correlatedColumns(1400, F, 3, 41)
const model = fitAutoencoder(
  cols.map((c) => c.subarray(0, 700)),
  tags,
  // The data's three drivers: a code that holds them leaves a single tag's fault off it.
  { window: 6, epochs: 100, bottleneck: 3 },
)
// Unseen rows, then the same rows with tag 4 pushed 4 spreads off its correlation with the rest.
const test = cols.map((c) => c.subarray(700))
const faulty = test.map((c, j) => Float64Array.from(c, (v) => v + (j === 4 ? 4 * model.std[4]! : 0)))
const dir = mkdtempSync(join(tmpdir(), 'vigil-ae-graph-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The TypeScript forward pass's window scores, window k ending at row k + window − 1. */
function reference(c: Float64Array[]): Float64Array {
  const n = c[0]!.length
  const at = Int32Array.from({ length: n }, (_, i) => i)
  return windowScores(rowScores(model, rowMajor(c), n), at, model.window)
}

describe('the fitted autoencoder as an ONNX graph', () => {
  it('declares input window and output reconstruction, both [batch, window, tags]', () => {
    const sig = readOnnxSignature(aeToOnnx(model, '1'), 'ae.onnx')
    expect(sig.inputs).toEqual([{ name: 'window', shape: ['batch', 6, F] }])
    expect(sig.outputs).toEqual([{ name: 'reconstruction', shape: ['batch', 6, F] }])
  })

  it('scores through the registry and the autoencoder scorer what the TypeScript pass scores, to 1e-4', async () => {
    const card = writeFittedAutoencoder(join(dir, 'line-3-ae'), model, {
      data: 'synthetic rows',
      label: 'anomaly',
    })
    expect(card).toMatchObject({
      kind: 'autoencoder',
      inputs: { window: 6, tags },
      outputs: { name: 'reconstruction' },
    })
    expect(readFileSync(join(dir, 'line-3-ae', 'README.md'), 'utf8')).toMatch('| tag_4 |')
    const det = await openDetector(loadModel(join(dir, 'line-3-ae')))
    expect(det.threshold).toBeCloseTo(model.threshold, 6)
    for (const [what, c] of [
      ['normal', test],
      ['faulty', faulty],
    ] as const) {
      const w = slideWindows(c, det.window)
      const { score, contrib } = await det.score(w.data, w.n)
      const want = reference(c)
      expect(score.length).toBe(want.length)
      let worst = 0
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(score[k]! - want[k]!) / want[k]!)
      expect(worst, what).toBeLessThan(1e-4)
      const flagged = score.filter((s) => s > det.threshold).length / w.n
      if (what === 'normal') expect(flagged).toBeLessThan(0.05)
      else {
        expect(flagged).toBeGreaterThan(0.95)
        // The shifted tag carries most of the error, though the code's move to explain it
        // spills some onto the others: the largest share in most windows.
        let top = 0
        for (let k = 0; k < w.n; k++) {
          const row = Array.from(contrib.subarray(k * F, k * F + F))
          if (row.indexOf(Math.max(...row)) === 4) top++
        }
        expect(top / w.n).toBeGreaterThan(0.8)
      }
    }
    await det.close()
  })
})
