import { readFileSync, readdirSync } from 'node:fs'
const dir = '/tmp/h8prof'
for (const f of readdirSync(dir)) {
  const p = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'))
  const self = new Map<number, number>()
  const dt = p.timeDeltas as number[]
  const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]))
  p.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const agg = new Map<string, number>()
  for (const [id, us] of self) { const n = byId.get(id); const cf = n.callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`; agg.set(k, (agg.get(k) ?? 0) + us) }
  console.log(f, 'total ms', (total / 1000).toFixed(0))
  for (const [k, us] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(((us / total) * 100).toFixed(1).padStart(5), k)
}
