import { describe, expect, it } from 'vitest'
import { chooseEndpoint, type EndpointOffer } from './endpoint-choice.ts'

const cert = Buffer.from([0x30, 0x03, 1, 2, 3])
const anyone = [
  { type: 'anonymous', policy: null },
  { type: 'username', policy: 'Basic256Sha256' },
]
const offer = (mode: EndpointOffer['mode'], policy: string, tokens = anyone): EndpointOffer => ({
  mode,
  policy,
  certificate: mode === 'None' ? null : cert,
  tokens,
})
const full = [
  offer('None', 'None'),
  offer('Sign', 'Basic256Sha256'),
  offer('SignAndEncrypt', 'Aes128_Sha256_RsaOaep'),
  offer('SignAndEncrypt', 'Basic256Sha256'),
  offer('SignAndEncrypt', 'Basic128Rsa15'),
]
const want = (o: object = {}) => ({ endpoint: 'opc.tcp://plc:4840', ...o })

describe('choosing an endpoint', () => {
  it('takes SignAndEncrypt with the strongest offered policy when the server offers it', () => {
    expect(chooseEndpoint(full, want())).toMatchObject({ mode: 'SignAndEncrypt', policy: 'Basic256Sha256' })
  })

  it('falls back to Sign, then None, when that is all the server offers', () => {
    expect(chooseEndpoint([offer('None', 'None'), offer('Sign', 'Basic256Sha256')], want())).toMatchObject({
      mode: 'Sign',
    })
    expect(chooseEndpoint([offer('None', 'None')], want())).toEqual({
      mode: 'None',
      policy: 'None',
      certificate: null,
    })
  })

  it('never picks a deprecated policy on its own', () => {
    expect(() => chooseEndpoint([offer('SignAndEncrypt', 'Basic128Rsa15')], want())).toThrow(
      /no endpoint matches securityMode auto, securityPolicy auto.*SignAndEncrypt\/Basic128Rsa15/,
    )
  })

  it('keeps to the mode and policy asked for', () => {
    expect(chooseEndpoint(full, want({ securityMode: 'None' }))).toMatchObject({ mode: 'None' })
    expect(
      chooseEndpoint(full, want({ securityMode: 'SignAndEncrypt', securityPolicy: 'Aes128_Sha256_RsaOaep' })),
    ).toMatchObject({ mode: 'SignAndEncrypt', policy: 'Aes128_Sha256_RsaOaep' })
    expect(() => chooseEndpoint([offer('None', 'None')], want({ securityMode: 'Sign' }))).toThrow(
      'opc.tcp://plc:4840: no endpoint matches securityMode Sign, securityPolicy auto, anonymous sign-in. The server offers: None/None (anonymous, username)',
    )
  })

  it('picks an endpoint that accepts the sign-in it has: a user, or anonymous', () => {
    const userOnly = [{ type: 'username', policy: 'Basic256Sha256' }]
    const offers = [offer('SignAndEncrypt', 'Basic256Sha256', userOnly), offer('Sign', 'Basic256Sha256')]
    expect(chooseEndpoint(offers, want())).toMatchObject({ mode: 'Sign' })
    const user = { username: 'op', passwordSecret: 'opcua/plc' }
    expect(chooseEndpoint(offers, want({ user }))).toMatchObject({ mode: 'SignAndEncrypt' })
  })

  it('does not send a password where neither the channel nor the token policy encrypts it', () => {
    const user = { username: 'op', passwordSecret: 'opcua/plc' }
    const clear = [offer('None', 'None', [{ type: 'username', policy: 'None' }])]
    expect(() => chooseEndpoint(clear, want({ user }))).toThrow(
      /does not send a password over an unencrypted channel/,
    )
    // A token policy that encrypts the password makes None acceptable.
    expect(chooseEndpoint([offer('None', 'None')], want({ user }))).toMatchObject({ mode: 'None' })
  })
})
