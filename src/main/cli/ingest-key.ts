import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import { DEFAULT_RATE_PER_S, IngestKeys } from '../ingest/ingest-keys.ts'
import { userDataDir } from './user-data.ts'

export const ingestKeyUsage = `vigil ingest-key add DEVICE --asset ID [--rate N] [--dir DIR]
vigil ingest-key list [--dir DIR]
vigil ingest-key delete DEVICE [--dir DIR]

  API keys for devices that push readings to POST /api/ingest under \`vigil serve\`, one per
  device, each allowed to write one asset (whose source is "http") at N requests/s (default
  ${DEFAULT_RATE_PER_S}, bursts of twice that). add prints the key once; it is kept sealed in
  DIR/secrets.json with the other secrets. A running server sees changes within a second.
  DIR defaults to ${userDataDir()}.`

export async function ingestKey(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { asset: { type: 'string' }, rate: { type: 'string' }, dir: { type: 'string' } },
    strict: true,
  })
  const [action, device] = positionals
  const keys = new IngestKeys(values.dir ?? userDataDir())
  if (action === 'list') {
    for (const k of keys.list())
      console.log(
        `${k.device}\tasset ${k.asset}\t${k.ratePerS}/s\tcreated ${new Date(k.createdAt).toISOString()}`,
      )
    return
  }
  if (!device || (action !== 'add' && action !== 'delete'))
    throw new VigilError(
      'bad-request',
      `expected "add DEVICE --asset ID", "list" or "delete DEVICE"\n\n${ingestKeyUsage}`,
    )
  if (action === 'delete') {
    if (!keys.delete(device)) throw new VigilError('not-found', `device "${device}" has no ingest key`)
    console.log(`deleted the ingest key of device "${device}"`)
    return
  }
  if (!values.asset)
    throw new VigilError('bad-request', `add ${device}: --asset ID names the asset it writes`)
  const rate = values.rate === undefined ? DEFAULT_RATE_PER_S : Number(values.rate)
  const { key } = keys.add(device, values.asset, rate)
  console.log(
    `device ${device} may write asset ${values.asset} at ${rate} requests/s with this key (shown once):`,
  )
  console.log(key)
}
