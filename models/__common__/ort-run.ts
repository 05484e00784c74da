/*
 * Runs an ONNX graph with onnxruntime-node, the runtime Vigil scores with, for the Python
 * training scripts (Debian ships no onnxruntime for Python). ort_node.py calls it:
 *   node models/__common__/ort-run.ts <model.onnx> <input.f32> <d0,d1,...> <out-dir>
 * The input is raw little-endian float32 of the given shape, fed to the graph's only input.
 * Every output is written to <out-dir>/<index>.bin raw, with <out-dir>/outputs.json giving
 * each one's name, type and shape.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'

const [modelPath, inputPath, dimsArg, outDir] = process.argv.slice(2)
if (!modelPath || !inputPath || !dimsArg || !outDir)
  throw new Error('usage: node models/__common__/ort-run.ts <model.onnx> <input.f32> <d0,d1,...> <out-dir>')
const dims = dimsArg.split(',').map(Number)
const bytes = readFileSync(inputPath)
const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
if (data.length !== dims.reduce((a, b) => a * b, 1))
  throw new Error(`${inputPath}: ${data.length} float32 values do not fill shape [${dims.join(', ')}]`)

// One thread, as the pipeline's scorers run: the same kernels, the same float sums.
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 })
if (session.inputNames.length !== 1)
  throw new Error(
    `${modelPath}: takes inputs ${session.inputNames.join(', ')}; this runner feeds exactly one`,
  )
const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) })
const meta = session.outputNames.map((name, i) => {
  const t = out[name]!
  const d = t.data as Float32Array | BigInt64Array
  writeFileSync(join(outDir, `${i}.bin`), new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
  return { name, type: t.type, dims: t.dims }
})
writeFileSync(join(outDir, 'outputs.json'), JSON.stringify(meta))
await session.release()
