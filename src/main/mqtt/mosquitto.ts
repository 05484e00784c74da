import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface MosquittoOptions {
  /** username -> password; when given, anonymous clients are refused. */
  users?: Record<string, string>
  /** Keep sessions and queued QoS 1 messages across restarts (written on shutdown). */
  persistence?: boolean
  /** PEM files for a second, TLS listener. */
  tls?: { ca: string; cert: string; key: string }
}

export interface Mosquitto {
  url: string
  port: number
  tlsUrl?: string
  dir: string
  /** SIGTERM and wait for the exit (a persistent broker writes its sessions then). */
  stop(): Promise<void>
  /** Stops, then starts again on the same ports with the same configuration. */
  restart(downMs?: number): Promise<void>
  /** Stops and deletes the temp directory. */
  dispose(): Promise<void>
  log(): string
}

export const MOSQUITTO = process.env.VIGIL_MOSQUITTO ?? '/usr/sbin/mosquitto'

/** A free loopback port: the kernel picks it, we release it and hand the number to mosquitto. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' })
    c.once('connect', () => (c.destroy(), resolve(true)))
    c.once('error', () => resolve(false))
  })

/**
 * Debian's mosquitto on 127.0.0.1, for tests and local trials: its own config, password
 * file, persistence and log in a temp directory. Each start waits until the port accepts
 * connections (at most 5 s).
 */
export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mosquitto-'))
  const port = await freePort()
  const tlsPort = opts.tls ? await freePort() : undefined
  const lines = [`listener ${port} 127.0.0.1`]
  if (opts.users) {
    const pw = join(dir, 'passwd')
    Object.entries(opts.users).forEach(([user, pass], i) =>
      execFileSync('mosquitto_passwd', ['-b', ...(i === 0 ? ['-c'] : []), pw, user, pass]),
    )
    lines.push('allow_anonymous false', `password_file ${pw}`)
  } else lines.push('allow_anonymous true')
  if (opts.persistence) {
    mkdirSync(join(dir, 'data'))
    lines.push('persistence true', `persistence_location ${join(dir, 'data')}/`)
  }
  if (opts.tls)
    lines.push(
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${opts.tls.ca}`,
      `certfile ${opts.tls.cert}`,
      `keyfile ${opts.tls.key}`,
    )
  // Run as root, mosquitto would drop to user "mosquitto" and lose access to the temp dir.
  if (process.getuid?.() === 0) lines.push('user root')
  lines.push(`log_dest file ${join(dir, 'mosquitto.log')}`, 'log_type all')
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(conf, lines.join('\n') + '\n')

  let proc: ChildProcess | null = null
  const start = async () => {
    const p = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    proc = p
    const end = Date.now() + 5000
    while (!(await canConnect(port))) {
      if (p.exitCode !== null || Date.now() > end) {
        p.kill('SIGKILL')
        throw new Error(`mosquitto did not start on port ${port}: ${stderr || log()}`)
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  const stop = async () => {
    const p = proc
    proc = null
    if (!p || p.exitCode !== null) return
    const exited = new Promise<void>((r) => p.once('exit', () => r()))
    p.kill('SIGTERM')
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  const log = () => {
    try {
      return readFileSync(join(dir, 'mosquitto.log'), 'utf8')
    } catch {
      return ''
    }
  }
  // A test that dies before its cleanup must not leave a broker behind.
  const onExit = () => proc?.kill('SIGKILL')
  process.once('exit', onExit)
  await start()

  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    tlsUrl: tlsPort ? `mqtts://127.0.0.1:${tlsPort}` : undefined,
    dir,
    stop,
    async restart(downMs = 0) {
      await stop()
      if (downMs) await new Promise((r) => setTimeout(r, downMs))
      await start()
    },
    async dispose() {
      await stop()
      process.off('exit', onExit)
      rmSync(dir, { recursive: true, force: true })
    },
    log,
  }
}
