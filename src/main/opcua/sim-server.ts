import type { OPCUAServer, UAVariable } from 'node-opcua'
import { VigilError } from '../../shared/errors.ts'
import type { AssetConfig, PlantConfig } from '../../shared/plant.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { demoPlantPath } from '../paths.ts'
import { simulator } from '../sources/simulator/index.ts'
import type { SourceHandle } from '../sources/source.ts'
import { loadOpcua } from './load.ts'
import { certificateManager, simPkiDir } from './pki.ts'

export interface SimServerOptions {
  /** 0 or absent: a free port. */
  port?: number
  /** User data folder: the server's certificate lives in its opcua/sim-pki, kept across restarts. */
  dataDir: string
  /** Default: the demo plant. Its simulated assets are served; others are left out. */
  plant?: PlantConfig
  /** Sign-ins accepted besides anonymous (when allowed). */
  users?: { username: string; password: string }[]
  allowAnonymous?: boolean
  securityModes?: ('None' | 'Sign' | 'SignAndEncrypt')[]
  /** Simulated seconds per wall second, for every asset. */
  speed?: number
}

export interface SimServer {
  endpoint: string
  port: number
  /** What is served: per asset, each tag's node id ("ns=1;s=P-101.Motor_RPM"). */
  assets: { id: string; nodes: Record<string, string> }[]
  /** Serves the tag with this status from now on ("UncertainSensorNotAccurate", "BadSensorFailure"); null: as simulated. */
  setStatus(assetId: string, tagId: string, status: string | null): void
  stop(): Promise<void>
}

/** Node id of a served tag: the asset's and the tag's ids, in the server's own namespace (1). */
export const simNodeId = (assetId: string, tagId: string) => `ns=1;s=${assetId}.${tagId}`

/**
 * `vigil opcua-sim`: the simulated plant as a real OPC UA server. Each simulated asset is
 * an object under Objects/Plant with one AnalogItem per tag (EURange from the tag's range,
 * so percent deadbands work), fed by the same simulator source the engine runs: every row
 * sets the values with the row's time as source timestamp. It accepts any client
 * certificate: it is a demo server, not a plant.
 */
export async function startSimServer(o: SimServerOptions): Promise<SimServer> {
  const m = await loadOpcua()
  const plant = o.plant ?? loadPlantConfig(demoPlantPath())
  const served = plant.assets.filter((a) => a.source.kind === 'simulator')
  if (!served.length)
    throw new VigilError('config.invalid', `plant "${plant.name}" has no simulated asset to serve`)
  const dir = simPkiDir(o.dataDir)
  const policies = [
    m.SecurityPolicy.Basic256Sha256,
    m.SecurityPolicy.Aes128_Sha256_RsaOaep,
    m.SecurityPolicy.Aes256_Sha256_RsaPss,
  ]
  const modes = (o.securityModes ?? ['None', 'Sign', 'SignAndEncrypt']).map((s) => m.MessageSecurityMode[s])
  const users = o.users ?? []
  const server: OPCUAServer = new m.OPCUAServer({
    port: o.port ?? 0,
    serverCertificateManager: await certificateManager(dir, true),
    userCertificateManager: await certificateManager(`${dir}-users`, false),
    nodeset_filename: [m.nodesets.standard],
    buildInfo: { productName: 'Vigil OPC UA simulator', manufacturerName: 'Vigil' },
    serverInfo: { applicationName: { text: 'Vigil OPC UA simulator' } },
    securityModes: modes,
    securityPolicies: policies,
    allowAnonymous: o.allowAnonymous ?? true,
    userManager: {
      isValidUser: (u: string, p: string) => users.some((x) => x.username === u && x.password === p),
    },
    registerServerMethod: m.RegisterServerMethod.HIDDEN,
  })
  await server.initialize()
  const addressSpace = server.engine.addressSpace!
  const ns = addressSpace.getOwnNamespace()
  const root = ns.addFolder(addressSpace.rootFolder.objects, { browseName: 'Plant', nodeId: 's=Plant' })
  const handles: SourceHandle[] = []
  const assets: SimServer['assets'] = []
  const forced = new Map<string, ReturnType<typeof m.StatusCode.makeStatusCode> | null>()
  const vars = new Map<string, UAVariable>()

  const stopAll = async () => {
    for (const h of handles.splice(0)) await h.stop().catch(() => {})
    await server.shutdown(0).catch(() => {})
  }
  try {
    for (const asset of served) {
      const obj = ns.addObject({ organizedBy: root, browseName: asset.id, nodeId: `s=${asset.id}` })
      const nodes: Record<string, string> = {}
      const cols: UAVariable[] = asset.tags.map((tag) => {
        const v = ns.addAnalogDataItem({
          componentOf: obj,
          browseName: tag.id,
          displayName: tag.name ?? tag.id,
          nodeId: `s=${asset.id}.${tag.id}`,
          dataType: 'Double',
          engineeringUnitsRange: { low: tag.min, high: tag.max },
          engineeringUnits: m.makeEUInformation(tag.unit, tag.unit, tag.name ?? tag.unit),
          minimumSamplingInterval: 0,
        }) as unknown as UAVariable
        nodes[simNodeId(asset.id, tag.id)] = tag.id
        vars.set(`${asset.id}.${tag.id}`, v)
        return v
      })
      assets.push({ id: asset.id, nodes })
      const cfg = simulator.config.parse({ ...asset.source, ...(o.speed ? { speed: o.speed } : {}) })
      handles.push(
        await simulator.start(cfg, asset, {
          batch: (b) => serveRows(asset, cols, b.t, b.values),
          status: () => {},
        }),
      )
    }
  } catch (e) {
    await stopAll()
    throw e
  }

  const good = m.StatusCodes.Good
  const badSensor = m.StatusCodes.BadSensorFailure
  function serveRows(asset: AssetConfig, cols: UAVariable[], t: Float64Array, values: Float64Array[]) {
    for (let i = 0; i < t.length; i++) {
      const at = new Date(t[i]!)
      cols.forEach((v, k) => {
        const x = values[k]![i]!
        const status = forced.get(`${asset.id}.${asset.tags[k]!.id}`) ?? (x === x ? good : badSensor)
        v.setValueFromSource({ dataType: m.DataType.Double, value: x }, status, at)
      })
    }
  }

  await server.start()
  const port = server.endpoints[0]!.port
  return {
    endpoint: `opc.tcp://localhost:${port}`,
    port,
    assets,
    setStatus(assetId, tagId, status) {
      const key = `${assetId}.${tagId}`
      if (!vars.has(key)) throw new VigilError('not-found', `the simulator serves no tag ${key}`)
      const code = status === null ? null : (m.StatusCodes as unknown as Record<string, unknown>)[status]
      if (code === undefined)
        throw new VigilError('bad-request', `"${status}" is not an OPC UA status code name`)
      forced.set(key, code as never)
    },
    stop: stopAll,
  }
}
