/*
 * One side of bench `opcua`, in a process of its own so its CPU time is its own:
 *   bare   a plain node-opcua client: one subscription, the items in groups of 1,000, a
 *          'changed' handler that counts (the least any application does);
 *   vigil  Vigil's OPC UA source (src/main/sources/opcua) on an asset of N tags, counting the
 *          values it delivers in its batches (a value counts when it is fresh: the server
 *          changes every variable every scan, so a value equal to the tag's previous one is
 *          a held value, not a delivered notification).
 * Both use security None on loopback, a 100 ms sampling and publishing interval. After the
 * first values and a warm-up second, it counts for `seconds` and prints one JSON line:
 * { notifications, cpuMs, wallMs }.
 *   node bench/opcua/client.ts bare|vigil ENDPOINT N SECONDS
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  OPCUACertificateManager,
  OPCUAClient,
  setErrorLogger,
  setWarningLogger,
  TimestampsToReturn,
} from 'node-opcua'
import type { AssetConfig } from '../../src/shared/plant.ts'
import { opcua } from '../../src/main/sources/opcua/index.ts'

const [mode, endpoint, nArg, secondsArg] = process.argv.slice(2)
const n = Number(nArg)
const seconds = Number(secondsArg)
const INTERVAL = 100
setWarningLogger(() => {})
setErrorLogger(() => {})
const dir = mkdtempSync(join(tmpdir(), `vigil-bench-opcua-${mode}-`))
let count = 0
let stop: () => Promise<void>

if (mode === 'bare') {
  const cm = new OPCUACertificateManager({ rootFolder: join(dir, 'pki'), disableFileWatchers: true })
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0 },
    clientCertificateManager: cm,
  })
  await client.connect(endpoint!)
  const session = await client.createSession()
  const sub = await session.createSubscription2({
    requestedPublishingInterval: INTERVAL,
    requestedMaxKeepAliveCount: 50,
    requestedLifetimeCount: 600,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
  })
  for (let from = 0; from < n; from += 1000) {
    const items = []
    for (let i = from; i < Math.min(n, from + 1000); i++)
      items.push({ nodeId: `ns=1;s=v${i}`, attributeId: AttributeIds.Value })
    const group = ClientMonitoredItemGroup.create(
      sub,
      items,
      { samplingInterval: INTERVAL, queueSize: 10, discardOldest: true },
      TimestampsToReturn.Both,
    )
    group.on('changed', () => void count++)
    await new Promise((r) => group.once('initialized', r))
  }
  stop = async () => {
    await sub.terminate()
    await session.close()
    await client.disconnect()
  }
} else {
  const tags = Array.from({ length: n }, (_, i) => ({ id: `v${i}`, unit: '', min: -1e9, max: 1e9 }))
  const asset = { id: 'bench', name: 'bench', class: 'other', models: [], tags } as unknown as AssetConfig
  const nodes = Object.fromEntries(tags.map((t) => [`ns=1;s=${t.id}`, t.id]))
  const cfg = opcua.config.parse({
    kind: 'opcua',
    endpoint,
    securityMode: 'None',
    nodes,
    samplingIntervalMs: INTERVAL,
    statusEveryMs: 1000,
  })
  const prev = new Float64Array(n).fill(NaN)
  const handle = await opcua.start(
    cfg,
    asset,
    {
      batch(b) {
        for (let k = 0; k < n; k++) {
          const v = b.values[k]!
          let p = prev[k]!
          for (let i = 0; i < v.length; i++) {
            const x = v[i]!
            if (x === x && x !== p) count++
            p = x
          }
          prev[k] = p
        }
      },
      status() {},
    },
    { dataDir: dir },
  )
  stop = () => handle.stop()
}

const started = Date.now()
while (count === 0) {
  if (Date.now() - started > 60_000) throw new Error(`${mode}: no values in 60 s`)
  await new Promise((r) => setTimeout(r, 50))
}
await new Promise((r) => setTimeout(r, 1000))
const c0 = count
const cpu0 = process.cpuUsage()
const t0 = performance.now()
await new Promise((r) => setTimeout(r, seconds * 1000))
const cpu = process.cpuUsage(cpu0)
const wallMs = performance.now() - t0
const notifications = count - c0
console.log(JSON.stringify({ notifications, cpuMs: (cpu.user + cpu.system) / 1000, wallMs }))
await stop()
rmSync(dir, { recursive: true, force: true })
process.exit(0)
