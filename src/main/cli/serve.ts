import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createEngine } from '../engine/engine.ts'
import { publishFromUrl } from '../mqtt/publish-flag.ts'
import { rendererDir } from '../paths.ts'
import { newToken } from '../server/auth.ts'
import { startHeadlessServer } from '../server/headless-server.ts'
import { IngestKeys } from '../ingest/ingest-keys.ts'
import { ingestRoute } from '../ingest/ingest-route.ts'
import { defaultDbPath, userDataDir } from './user-data.ts'

export const serveUsage = `vigil serve [--demo | --config FILE] [--port N] [--host ADDR] [--db FILE] [--speed N] [--token T]
            [--mqtt-publish URL]

  Runs the engine and serves the control-room UI to browsers, behind an access token.
  --demo          the embedded demo plant (the default when --config is not given)
  --config FILE   a plant configuration (JSON or YAML)
  --port N        TCP port (default 7431; 0 picks a free one)
  --host ADDR     address to bind (default 127.0.0.1: this machine only)
  --db FILE       history database (default: ${defaultDbPath()})
  --speed N       run simulated assets N times faster than real time
  --token T       use this token instead of a random one (or set VIGIL_TOKEN)
  --mqtt-publish URL
                  publish validated samples, model outputs and anomaly events to this MQTT
                  broker as Sparkplug B (mqtt://[user:pass@]host:1883); for TLS or JSON use a
                  "publish" block in the plant configuration (README: Sharing a plant over MQTT)`

export async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: 'boolean' },
      config: { type: 'string' },
      port: { type: 'string', default: '7431' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      speed: { type: 'string' },
      token: { type: 'string' },
      'mqtt-publish': { type: 'string' },
    },
    strict: true,
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: "${values.port}" is not a port number`)
  const speed = values.speed === undefined ? undefined : Number(values.speed)
  if (speed !== undefined && !(speed > 0 && speed <= 3600))
    throw new Error(`--speed: "${values.speed}" must be a number in (0, 3600]`)
  if (values.demo && values.config) throw new Error('--demo and --config exclude each other')
  const dir = rendererDir()
  if (!existsSync(join(dir, 'index.html')))
    throw new Error(`the UI is not built (${dir} has no index.html): run \`npm run build\` first`)

  const engine = await createEngine({
    configPath: values.config,
    dbPath: values.db ?? defaultDbPath(),
    dbPathGiven: values.db !== undefined,
    simSpeed: speed,
    publish: values['mqtt-publish'] === undefined ? undefined : publishFromUrl(values['mqtt-publish']),
  })
  const token = values.token ?? process.env.VIGIL_TOKEN ?? newToken()
  // Devices push readings to POST /api/ingest with their own API keys (`vigil ingest-key`).
  const routes = [ingestRoute({ bus: engine.ingest, keys: new IngestKeys(userDataDir()) })]
  const server = await startHeadlessServer({
    engine,
    rendererDir: dir,
    token,
    host: values.host,
    port,
    routes,
  })
  console.log(`Vigil is serving ${server.url}`)
  if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1')
    console.log(
      `warning: bound to ${values.host}: other machines can reach this server; keep the token secret`,
    )

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('Vigil is stopping…')
    await server.close()
    await engine.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}
