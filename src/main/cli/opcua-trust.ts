import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import { clientPkiDir, rejectedCertificates } from '../opcua/pki.ts'
import { trustByThumbprint } from '../opcua/trust.ts'
import { userDataDir } from './user-data.ts'

export const opcuaTrustUsage = `vigil opcua-trust THUMBPRINT [--endpoint URL] [--dir DIR]
vigil opcua-trust --list [--dir DIR]

  Trusts an OPC UA server's certificate, once: Vigil never reads from a server whose
  certificate a person has not trusted, and an OPC UA source reports the thumbprint it
  refused. Check the thumbprint with the server's administrator first. The certificate is
  taken from the server at URL, or from those Vigil refused before (--list shows them).
  A running Vigil picks the trust up at its next attempt.
  --dir DIR       user data folder (default ${userDataDir()}); the trust list is DIR/opcua/pki`

export async function opcuaTrust(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, list: { type: 'boolean' }, dir: { type: 'string' } },
    strict: true,
  })
  const pki = clientPkiDir(values.dir ?? userDataDir())
  if (values.list) {
    const refused = rejectedCertificates(pki)
    if (!refused.length) console.log(`no refused certificates in ${pki}`)
    for (const c of refused)
      console.log(
        `${c.thumbprint}  ${c.subject}  valid ${c.validFrom.slice(0, 10)} to ${c.validTo.slice(0, 10)}`,
      )
    return
  }
  const [thumbprint] = positionals
  if (!thumbprint || positionals.length > 1)
    throw new VigilError('bad-request', `expected one THUMBPRINT\n\n${opcuaTrustUsage}`)
  if (!/^[0-9A-Fa-f:]{40,59}$/.test(thumbprint))
    throw new VigilError('bad-request', `"${thumbprint}" is not a SHA-1 thumbprint (40 hex digits)`)
  const r = await trustByThumbprint(pki, thumbprint, values.endpoint)
  console.log(
    `trusted ${r.trusted.thumbprint} (${r.trusted.subject}), valid to ${r.trusted.validTo.slice(0, 10)}`,
  )
  console.log(`  ${r.file}`)
  // node-opcua keeps nothing open that matters once the file is written.
  process.exit(0)
}
