import * as ort from 'onnxruntime-node'
const s = await ort.InferenceSession.create('/work/main/models/pump-ae/model.onnx', { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' })
const name = s.inputNames[0]!
for (const b of [1, 8, 32, 100, 200]) {
  const x = new Float32Array(b * 300).map(() => Math.random())
  for (let i = 0; i < 20; i++) await s.run({ [name]: new ort.Tensor('float32', x, [b, 30, 10]) })
  const N = Math.max(20, Math.floor(2000 / b))
  const t = performance.now()
  for (let i = 0; i < N; i++) await s.run({ [name]: new ort.Tensor('float32', x, [b, 30, 10]) })
  const ms = (performance.now() - t) / N
  console.log(`batch ${b}: ${ms.toFixed(3)} ms/call, ${(ms / b * 1000).toFixed(1)} us/window, ${(b / ms * 1000).toFixed(0)} windows/s`)
}
