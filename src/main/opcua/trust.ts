import { VigilError } from '../../shared/errors.ts'
import type { OpcuaCertificateInfo } from '../../shared/opcua-channels.ts'
import {
  firstOfChain,
  normalThumbprint,
  rejectedCertificates,
  thumbprintOf,
  trustCertificate,
} from './pki.ts'
import { fetchOffers } from './session.ts'

/**
 * Trusts the server certificate with `thumbprint`: one the server at `endpoint` offers now,
 * or, when the server cannot be reached (or no endpoint is given), one Vigil refused before
 * (the PKI's rejected/ folder). A thumbprint matching neither is an error listing what the
 * server does offer, so a mistyped thumbprint never trusts anything.
 */
export async function trustByThumbprint(
  pkiDir: string,
  thumbprint: string,
  endpoint?: string,
): Promise<{ trusted: OpcuaCertificateInfo; file: string }> {
  const want = normalThumbprint(thumbprint)
  const offered = new Set<string>()
  let unreachable = ''
  if (endpoint)
    try {
      for (const o of await fetchOffers(endpoint, pkiDir)) {
        if (!o.certificate) continue
        const own = firstOfChain(o.certificate)
        if (thumbprintOf(own) === want) return await trustCertificate(pkiDir, own)
        offered.add(thumbprintOf(own))
      }
    } catch (e) {
      unreachable = ` (${(e as Error).message})`
    }
  const refused = rejectedCertificates(pkiDir).find((c) => c.thumbprint === want)
  if (refused) return await trustCertificate(pkiDir, refused.der)
  const where = endpoint ? `${endpoint}: ` : ''
  throw new VigilError(
    'not-found',
    `${where}no certificate with thumbprint ${want} ` +
      (endpoint ? `is offered by the server${unreachable} or ` : '') +
      `was refused before` +
      (offered.size ? `; the server offers ${[...offered].join(', ')}` : ''),
  )
}
