import { VigilError } from '../../shared/errors.ts'
import type { z } from 'zod'
import { OPCUA_POLICIES, type OpcuaConnection } from '../../shared/opcua-config.ts'

export type SecurityModeName = 'None' | 'Sign' | 'SignAndEncrypt'

/** One endpoint a server offers, as getEndpoints describes it (names, not enum numbers). */
export interface EndpointOffer {
  mode: SecurityModeName
  /** The part after '#' of the policy URI: 'None', 'Basic256Sha256', ... */
  policy: string
  certificate: Buffer | null
  /** User token types accepted: 'anonymous', 'username', 'certificate', 'issued'; with the policy protecting each. */
  tokens: { type: string; policy: string | null }[]
}

export interface EndpointChoice {
  mode: SecurityModeName
  policy: string
  certificate: Buffer | null
}

const MODES_BY_STRENGTH: SecurityModeName[] = ['SignAndEncrypt', 'Sign', 'None']

/**
 * The endpoint to open: the asked-for mode and policy, or with 'auto' the strongest the
 * server offers (SignAndEncrypt before Sign before None; Aes256_Sha256_RsaPss, then
 * Basic256Sha256, then Aes128_Sha256_RsaOaep). Deprecated policies (Basic128Rsa15,
 * Basic256) are never picked. A password is never sent where neither the channel nor
 * the token policy encrypts it.
 */
export function chooseEndpoint(
  offers: EndpointOffer[],
  want: z.input<typeof OpcuaConnection>,
): EndpointChoice {
  const token = want.user ? 'username' : 'anonymous'
  const mode = want.securityMode ?? 'auto'
  const policy = want.securityPolicy ?? 'auto'
  const modes = mode === 'auto' ? MODES_BY_STRENGTH : [mode]
  const policies: readonly string[] = policy === 'auto' ? OPCUA_POLICIES : [policy]
  for (const m of modes) {
    const candidates = offers.filter((o) => o.mode === m)
    const ordered =
      m === 'None'
        ? candidates.filter((o) => o.policy === 'None')
        : policies.flatMap((p) => candidates.filter((o) => o.policy === p))
    for (const o of ordered) {
      const t = o.tokens.find((x) => x.type === token)
      if (!t) continue
      if (token === 'username' && m === 'None' && (t.policy === null || t.policy === 'None')) continue
      return { mode: m, policy: o.policy, certificate: o.certificate }
    }
  }
  const offered = [
    ...new Set(offers.map((o) => `${o.mode}/${o.policy} (${o.tokens.map((t) => t.type).join(', ')})`)),
  ]
  const asked = `securityMode ${mode}, securityPolicy ${policy}, ${token} sign-in`
  const clearPassword =
    token === 'username' &&
    offers.some((o) => o.mode === 'None' && o.tokens.some((t) => t.type === 'username'))
      ? '; Vigil does not send a password over an unencrypted channel'
      : ''
  throw new VigilError(
    'config.invalid',
    `${want.endpoint}: no endpoint matches ${asked}${clearPassword}. The server offers: ${offered.join('; ') || 'nothing'}`,
  )
}

/** getEndpoints' answer in names (MessageSecurityMode and UserTokenType are numbers on the wire). */
export function describeOffers(
  endpoints: {
    securityMode: number
    securityPolicyUri: string | null
    serverCertificate: Buffer | null
    userIdentityTokens: { tokenType: number; securityPolicyUri: string | null }[] | null
  }[],
): EndpointOffer[] {
  const modeNames: Record<number, SecurityModeName> = { 1: 'None', 2: 'Sign', 3: 'SignAndEncrypt' }
  const tokenNames: Record<number, string> = { 0: 'anonymous', 1: 'username', 2: 'certificate', 3: 'issued' }
  const short = (uri: string | null) => (uri ? (uri.split('#')[1] ?? uri) : null)
  return endpoints.flatMap((e) => {
    const mode = modeNames[e.securityMode]
    if (!mode) return []
    return [
      {
        mode,
        policy: short(e.securityPolicyUri) ?? 'None',
        certificate: e.serverCertificate && e.serverCertificate.length ? e.serverCertificate : null,
        tokens: (e.userIdentityTokens ?? []).map((t) => ({
          type: tokenNames[t.tokenType] ?? 'unknown',
          policy: short(t.securityPolicyUri),
        })),
      },
    ]
  })
}
