import { createHash, X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { OPCUACertificateManager } from 'node-opcua'
import type { OpcuaCertificateInfo } from '../../shared/opcua-channels.ts'
import { VigilError } from '../../shared/errors.ts'
import { loadOpcua } from './load.ts'

/**
 * Where Vigil keeps its OPC UA identity and trust: `<user data>/opcua/pki` holds the
 * application certificate (own/, made on first use), the server certificates a person
 * trusted (trusted/) and those refused (rejected/, named by thumbprint). The simulator
 * server keeps its own in `<user data>/opcua/sim-pki`, so its certificate, once trusted,
 * stays trusted across restarts.
 */
export const clientPkiDir = (dataDir: string) => join(dataDir, 'opcua', 'pki')
export const simPkiDir = (dataDir: string) => join(dataDir, 'opcua', 'sim-pki')

const managers = new Map<string, Promise<OPCUACertificateManager>>()

/**
 * One certificate manager per folder for the whole process, so a certificate trusted
 * through the contract is seen at once by every source. Unknown certificates are never
 * accepted: they land in rejected/ and wait for a person. File watchers are off (each
 * holds a thread of libuv's pool); a trust made by another process (`vigil opcua-trust`)
 * is read by `reload` before the next attempt.
 */
export function certificateManager(dir: string, acceptUnknown = false): Promise<OPCUACertificateManager> {
  const key = `${dir}|${acceptUnknown}`
  let m = managers.get(key)
  if (!m) {
    m = (async () => {
      const { OPCUACertificateManager } = await loadOpcua()
      const cm = new OPCUACertificateManager({
        rootFolder: dir,
        automaticallyAcceptUnknownCertificate: acceptUnknown,
        disableFileWatchers: true,
        keySize: 2048,
      })
      await cm.initialize()
      // node-opcua disposes a manager when the last client using it disconnects; this one is shared.
      cm.referenceCounter++
      return cm
    })()
    managers.set(key, m)
    m.catch(() => managers.delete(key))
  }
  return m
}

export const thumbprintOf = (der: Buffer) => createHash('sha1').update(der).digest('hex')

/** Colons and case are how tools differ in printing the same thumbprint. */
export const normalThumbprint = (t: string) => t.replace(/:/g, '').toLowerCase()

/** What a person checks before trusting a certificate. A chain's first certificate is the server's own. */
export function certificateInfo(der: Buffer): OpcuaCertificateInfo {
  const x = new X509Certificate(firstOfChain(der))
  const uri = /URI:([^,\s]+)/.exec(x.subjectAltName ?? '')?.[1]
  return {
    thumbprint: thumbprintOf(x.raw),
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    ...(uri ? { applicationUri: uri } : {}),
  }
}

/** A DER chain is certificates back to back; each starts with a SEQUENCE and its length. */
export function firstOfChain(der: Buffer): Buffer {
  if (der.length < 4 || der[0] !== 0x30) return der
  const l = der[1]!
  if (l < 0x80) return der.subarray(0, 2 + l)
  const n = l & 0x7f
  let len = 0
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!
  return der.subarray(0, Math.min(der.length, 2 + n + len))
}

/** Certificates refused so far (rejected/), newest knowledge first: what `vigil opcua-trust --list` shows. */
export function rejectedCertificates(dir: string): (OpcuaCertificateInfo & { file: string; der: Buffer })[] {
  const folder = join(dir, 'rejected')
  let files: string[]
  try {
    files = readdirSync(folder).filter((f) => /\.(pem|der)$/.test(f))
  } catch {
    return []
  }
  return files.flatMap((f) => {
    try {
      const der = new X509Certificate(readFileSync(join(folder, f))).raw
      return [{ ...certificateInfo(der), file: join(folder, f), der }]
    } catch {
      return []
    }
  })
}

const trustListeners = new Set<(dir: string) => void>()

/** Told after a certificate is trusted in this process, so a source waiting on it retries at once. */
export function onTrust(fn: (dir: string) => void): () => void {
  trustListeners.add(fn)
  return () => void trustListeners.delete(fn)
}

/** Trusts `der` in the store at `dir`; answers where the certificate now is. */
export async function trustCertificate(
  dir: string,
  der: Buffer,
): Promise<{ trusted: OpcuaCertificateInfo; file: string }> {
  const cm = await certificateManager(dir)
  const cert = firstOfChain(der)
  await cm.trustCertificate(cert)
  const info = certificateInfo(cert)
  const file = readdirSync(join(dir, 'trusted', 'certs')).find((f) => f.includes(info.thumbprint))
  if (!file)
    throw new VigilError(
      'internal',
      `${dir}: the certificate ${info.thumbprint} was not written to trusted/certs`,
    )
  for (const fn of trustListeners) fn(dir)
  return { trusted: info, file: join(dir, 'trusted', 'certs', file) }
}
