import * as ort from 'onnxruntime-node'
import { readdirSync, readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
const w = new Worker('setInterval(()=>{let x=0;for(let i=0;i<1e6;i++)x+=i},10)', { eval: true, name: 'pipeline-0' })
const s = await ort.InferenceSession.create('models/pump-ae/model.onnx', { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' })
const x = new Float32Array(100 * 300).fill(0.5)
const t = performance.now()
while (performance.now() - t < 2000) await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, [100, 30, 10]) })
for (const tid of readdirSync('/proc/self/task')) {
  const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
  const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'))
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ')
  console.log(tid, comm, 'utime', f[11], 'stime', f[12])
}
await w.terminate()
