/*
 * The loopback server of bench `opcua`: N Double variables (ns=1;s=v0 .. v<N-1>), every one
 * changed each `periodMs`, all with the same source timestamp, as a PLC scan would. Plain
 * node-opcua, no Vigil code. Prints its endpoint as one JSON line, then serves until its
 * parent closes stdin.
 *   node bench/opcua/load-server.ts N periodMs
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DataType,
  nodesets,
  OPCUACertificateManager,
  OPCUAServer,
  RegisterServerMethod,
  setErrorLogger,
  setWarningLogger,
  StatusCodes,
  type UAVariable,
} from 'node-opcua'

const n = Number(process.argv[2] ?? 1000)
const periodMs = Number(process.argv[3] ?? 100)
setWarningLogger(() => {})
setErrorLogger(() => {})
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-opcua-server-'))
const cm = (sub: string, accept: boolean) =>
  new OPCUACertificateManager({
    rootFolder: join(dir, sub),
    automaticallyAcceptUnknownCertificate: accept,
    disableFileWatchers: true,
  })
const server = new OPCUAServer({
  port: 0,
  serverCertificateManager: cm('pki', true),
  userCertificateManager: cm('users', false),
  nodeset_filename: [nodesets.standard],
  registerServerMethod: RegisterServerMethod.HIDDEN,
  serverCapabilities: { maxSessions: 20 },
})
await server.initialize()
const ns = server.engine.addressSpace!.getOwnNamespace()
const folder = ns.addFolder(server.engine.addressSpace!.rootFolder.objects, { browseName: 'Bench' })
const vars: UAVariable[] = []
for (let i = 0; i < n; i++)
  vars.push(
    ns.addVariable({
      organizedBy: folder,
      browseName: `v${i}`,
      nodeId: `s=v${i}`,
      dataType: 'Double',
      minimumSamplingInterval: 0,
    }),
  )
let tick = 0
const timer = setInterval(() => {
  tick++
  const at = new Date()
  for (let i = 0; i < n; i++)
    vars[i]!.setValueFromSource({ dataType: DataType.Double, value: tick + i / n }, StatusCodes.Good, at)
}, periodMs)
await server.start()
console.log(JSON.stringify({ endpoint: `opc.tcp://localhost:${server.endpoints[0]!.port}` }))
process.stdin.resume()
process.stdin.on('end', async () => {
  clearInterval(timer)
  await server.shutdown(0)
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
})
