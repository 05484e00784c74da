import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { certificateManager, rejectedCertificates, thumbprintOf } from './pki.ts'
import { trustByThumbprint } from './trust.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-opcua-trust-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A server's self-signed application certificate, made as node-opcua makes one. */
async function serverCertificate(): Promise<Buffer> {
  const cm = await certificateManager(join(dir, 'server-pki'), true)
  const file = join(dir, 'server.pem')
  await cm.createSelfSignedCertificate({
    applicationUri: 'urn:plc-7:PLC',
    subject: '/CN=PLC-7/O=Plant',
    dns: ['plc-7'],
    startDate: new Date(),
    validity: 365,
    outputFile: file,
  })
  return new X509Certificate(readFileSync(file)).raw
}

describe('trusting a server certificate', () => {
  it('keeps an unknown certificate out until a person trusts its thumbprint, then accepts it', async () => {
    const pki = join(dir, 'client-pki')
    const cm = await certificateManager(pki)
    const cert = await serverCertificate()
    const thumbprint = thumbprintOf(cert)
    expect((await cm.checkCertificate(cert)).name).toBe('BadCertificateUntrusted')
    expect(rejectedCertificates(pki).map((c) => [c.thumbprint, c.subject])).toEqual([
      [thumbprint, 'O=Plant, CN=PLC-7'],
    ])

    await expect(trustByThumbprint(pki, 'ab'.repeat(20))).rejects.toThrow(
      `no certificate with thumbprint ${'ab'.repeat(20)} was refused before`,
    )
    expect((await cm.checkCertificate(cert)).name).toBe('BadCertificateUntrusted')

    const r = await trustByThumbprint(pki, thumbprint.toUpperCase().replace(/(..)(?!$)/g, '$1:'))
    expect(r.trusted).toMatchObject({ thumbprint, applicationUri: 'urn:plc-7:PLC' })
    expect(r.file).toContain(join(pki, 'trusted', 'certs'))
    expect((await cm.checkCertificate(cert)).name).toBe('Good')
    expect(rejectedCertificates(pki)).toEqual([])
  }, 30_000)
})
