import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { needsBuild } from '../scripts/start.mjs'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export interface Served {
  /** The URL `vigil serve` printed, token included. */
  url: string
  /** The same origin without the token. */
  origin: string
  port: number
  token: string
  /** Holds the database; removed by stop() unless kept for a restart. */
  dir: string
  stop(opts?: { keepDir?: boolean }): Promise<void>
}

export interface ServeOptions {
  /** Simulated seconds per wall second. */
  speed: number
  /** A restart passes the previous port, token and folder, so an open page can find it again. */
  port?: number
  token?: string
  dir?: string
  /** A plant file instead of the demo plant (benchmarks: many assets, fast sources). */
  config?: string
}

/** The server serves out/renderer: build it when any source is newer, as `npm start` does. */
export function ensureBuilt(): void {
  if (!needsBuild(ROOT)) return
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`)
}

/**
 * Starts `vigil serve --demo` (or `--config`) (on a free port with its own database unless told otherwise)
 * and resolves once it prints the line with its URL.
 */
export async function startServe(o: ServeOptions): Promise<Served> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'vigil-e2e-'))
  const args = [
    'bin/vigil.mjs',
    'serve',
    ...(o.config ? ['--config', o.config] : ['--demo']),
    '--port',
    String(o.port ?? 0),
    '--db',
    join(dir, 'e2e.db'),
  ]
  args.push('--speed', String(o.speed))
  if (o.token) args.push('--token', o.token)
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`vigil serve printed no URL within 60 s:\n${out}\n${err}`)),
      60_000,
    )
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Vigil is serving (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`vigil serve exited with code ${code}:\n${out}\n${err}`))
    })
  })
  const u = new URL(url)
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: u.searchParams.get('token') ?? '',
    dir,
    async stop(opts = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
