/*
 * opcua: 1,000 and 5,000 monitored items at 100 ms against a loopback node-opcua server
 * (bench/opcua/load-server.ts, its own process: every variable changes every 100 ms), read by
 *   - vigil: Vigil's OPC UA source (subscription, status-to-quality, time sort, row assembly),
 *   - bare:  a plain node-opcua client that only counts its 'changed' events,
 * each in a process of its own so its CPU time is its own, in turns (A-B-A-B...) against the
 * same server in the same run. Figures: notifications delivered per second, vigil against
 * bare (target >= 0.95), and CPU time per 1,000 notifications, vigil against bare (target
 * <= 2). Security None: encryption costs both sides alike and would only hide the difference.
 * What the engine does with the rows afterwards (validation, models, history) is not in it;
 * bench `load` measures that. --quick: 1,000 items only, shorter windows.
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { figure, type Bench, type Figure } from './harness.ts'

const run = promisify(execFile)
const script = (name: string) => new URL(`./opcua/${name}`, import.meta.url).pathname

interface Side {
  notifications: number
  cpuMs: number
  wallMs: number
}

async function startServer(n: number): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [script('load-server.ts'), String(n), '100'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the load server exited before serving')
    }),
  ])) as [string]
  const { endpoint } = JSON.parse(line) as { endpoint: string }
  return {
    endpoint,
    async stop() {
      child.stdin!.end()
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill()
    },
  }
}

async function side(mode: 'bare' | 'vigil', endpoint: string, n: number, seconds: number): Promise<Side> {
  const { stdout } = await run(
    process.execPath,
    [script('client.ts'), mode, endpoint, String(n), String(seconds)],
    {
      timeout: (seconds + 90) * 1000,
    },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Side
}

const bench: Bench = {
  name: 'opcua',
  quick: true,
  async run(opts) {
    const sizes = opts.quick ? [1000] : [1000, 5000]
    const seconds = opts.quick ? 5 : 10
    const rounds = opts.quick ? 2 : 3
    const figures: Figure[] = []
    for (const n of sizes) {
      const server = await startServer(n)
      try {
        const runs: Record<'vigil' | 'bare', Side[]> = { vigil: [], bare: [] }
        for (let r = 0; r < rounds; r++)
          for (const mode of r % 2 ? (['bare', 'vigil'] as const) : (['vigil', 'bare'] as const)) {
            const s = await side(mode, server.endpoint, n, seconds)
            runs[mode].push(s)
            opts.log(
              `${n} items, ${mode}: ${((s.notifications * 1000) / s.wallMs).toFixed(0)} notifications/s, ` +
                `${s.cpuMs.toFixed(0)} ms CPU in ${(s.wallMs / 1000).toFixed(1)} s`,
            )
          }
        const sum = (xs: Side[], f: (s: Side) => number) => xs.reduce((a, s) => a + f(s), 0)
        const rate = (xs: Side[]) => (sum(xs, (s) => s.notifications) * 1000) / sum(xs, (s) => s.wallMs)
        const cpuPerK = (xs: Side[]) =>
          (sum(xs, (s) => s.cpuMs) * 1000) /
          Math.max(
            1,
            sum(xs, (s) => s.notifications),
          )
        figures.push(
          figure({
            name: `opcua.delivered_${n}`,
            value: rate(runs.vigil),
            unit: 'notifications/s',
            baseline: 'bare node-opcua client',
            baseline_value: rate(runs.bare),
            target: 'ratio >= 0.95',
            check: (f) => f.ratio >= 0.95,
          }),
          figure({
            name: `opcua.cpu_${n}`,
            value: cpuPerK(runs.vigil),
            unit: 'CPU ms per 1,000 notifications',
            baseline: 'bare node-opcua client',
            baseline_value: cpuPerK(runs.bare),
            target: 'ratio <= 2',
            check: (f) => f.ratio <= 2,
          }),
        )
      } finally {
        await server.stop()
      }
    }
    return figures
  },
}
export default bench
