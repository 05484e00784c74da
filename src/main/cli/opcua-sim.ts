import { X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { certificateInfo, simPkiDir } from '../opcua/pki.ts'
import { startSimServer } from '../opcua/sim-server.ts'
import { openSecrets } from '../secrets/index.ts'
import { userDataDir } from './user-data.ts'

export const opcuaSimUsage = `vigil opcua-sim [--port N] [--config FILE] [--speed N] [--user NAME --password-secret SECRET]
                [--no-anonymous] [--dir DIR]

  Serves the simulated plant (the demo plant, or FILE's simulated assets) as a real OPC UA
  server, so demos and other OPC UA clients can read it: one object per asset under
  Objects/Plant, one AnalogItem per tag (node id ns=1;s=<asset>.<tag>). It offers None, Sign
  and SignAndEncrypt (Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss) and
  accepts any client certificate; its own certificate is kept in DIR/opcua/sim-pki, so a
  client trusts it once. Prints the endpoint, the certificate's thumbprint and a source block
  to paste into a plant file. Runs until interrupted.
  --port N        TCP port (default 4840; 0 picks a free one)
  --speed N       simulated seconds per wall second
  --user NAME --password-secret SECRET
                  also accept this user, whose password is the secret SECRET (\`vigil secret set\`)
  --no-anonymous  refuse anonymous sign-in
  --dir DIR       user data folder (default ${userDataDir()})`

export async function opcuaSim(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4840' },
      config: { type: 'string' },
      speed: { type: 'string' },
      user: { type: 'string' },
      'password-secret': { type: 'string' },
      'no-anonymous': { type: 'boolean' },
      dir: { type: 'string' },
    },
    strict: true,
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new VigilError('bad-request', `--port: "${values.port}" is not a port number`)
  const speed = values.speed === undefined ? undefined : Number(values.speed)
  if (speed !== undefined && !(speed >= 0.1 && speed <= 3600))
    throw new VigilError('bad-request', `--speed: "${values.speed}" must be a number in [0.1, 3600]`)
  if ((values.user === undefined) !== (values['password-secret'] === undefined))
    throw new VigilError('bad-request', '--user and --password-secret go together')
  const dir = values.dir ?? userDataDir()
  const users =
    values.user === undefined
      ? []
      : [{ username: values.user, password: openSecrets(dir).get(values['password-secret']!) }]
  if (values['no-anonymous'] && !users.length)
    throw new VigilError('bad-request', '--no-anonymous needs --user: nobody could sign in')

  const server = await startSimServer({
    port,
    dataDir: dir,
    plant: values.config ? loadPlantConfig(values.config) : undefined,
    users,
    allowAnonymous: !values['no-anonymous'],
    speed,
  })
  const own = join(simPkiDir(dir), 'own', 'certs')
  const pem = readdirSync(own).find((f) => f.endsWith('.pem'))
  const cert = pem ? certificateInfo(new X509Certificate(readFileSync(join(own, pem))).raw) : null
  console.log(`OPC UA simulator on ${server.endpoint}`)
  if (cert) console.log(`server certificate ${cert.thumbprint} (${cert.subject})`)
  for (const a of server.assets)
    console.log(
      `\nasset ${a.id}: source block for a plant file\n${JSON.stringify({ kind: 'opcua', endpoint: server.endpoint, nodes: a.nodes }, null, 2)}`,
    )
  console.log('\nCtrl-C stops it.')
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.stop()
  process.exit(0)
}
