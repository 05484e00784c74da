import type { ClientSession, OPCUAClient, OPCUACertificateManager, UserIdentityInfo } from 'node-opcua'
import { VigilError } from '../../shared/errors.ts'
import type { OpcuaCertificateInfo } from '../../shared/opcua-channels.ts'
import type { OpcuaConnection } from '../../shared/opcua-config.ts'
import { chooseEndpoint, describeOffers, type SecurityModeName } from './endpoint-choice.ts'
import { loadOpcua, type Opcua } from './load.ts'
import { certificateInfo, certificateManager, firstOfChain } from './pki.ts'

export const APPLICATION_NAME = 'Vigil'

/** The server's certificate is not in Vigil's trust list: nothing is read until a person trusts it. */
export class UntrustedCertificateError extends VigilError {
  readonly certificate: OpcuaCertificateInfo
  readonly endpoint: string
  constructor(endpoint: string, certificate: OpcuaCertificateInfo) {
    super(
      'unavailable',
      `${endpoint}: the server certificate ${certificate.thumbprint} (${certificate.subject}) is not trusted; ` +
        `check it with the server's administrator, then trust it once with ` +
        `\`vigil opcua-trust ${certificate.thumbprint} --endpoint ${endpoint}\` or the opcua.trust call`,
    )
    this.certificate = certificate
    this.endpoint = endpoint
  }
}

export interface OpenOptions {
  conn: OpcuaConnection
  /** The client PKI folder (pki.ts clientPkiDir). */
  pkiDir: string
  /** The user's password, already read from the secret store. */
  password?: string
  keepaliveMs: number
  /** Each step (discovery, connect, sign-in) fails after this long. */
  timeoutMs?: number
  /** Re-read the trust list from disk first: another process may have trusted a certificate. */
  reloadTrust?: boolean
}

export interface OpenSession {
  client: OPCUAClient
  session: ClientSession
  security: { mode: SecurityModeName; policy: string }
  /** Settles once, with the reason, when the link or the session is lost; never rejects. */
  lost: Promise<string>
  close(): Promise<void>
}

/**
 * Opens a session: reads the server's endpoints over an unsecured discovery channel, picks
 * one (endpoint-choice.ts), checks the server certificate against the trust list before
 * anything is sent under it, then connects and signs in. node-opcua's own reconnection is
 * off (maxRetry 0): a lost link ends this session and the caller opens a new one with
 * backoff, re-checking trust and re-creating what it subscribed.
 */
export async function openSession(o: OpenOptions): Promise<OpenSession> {
  const m = await loadOpcua()
  const cm = await certificateManager(o.pkiDir)
  if (o.reloadTrust) await cm.reloadCertificates()
  const timeoutMs = o.timeoutMs ?? 10_000
  const url = o.conn.endpoint
  const offers = describeOffers(await discover(m, cm, url, timeoutMs))
  const choice = chooseEndpoint(offers, o.conn)
  if (choice.mode !== 'None') {
    if (!choice.certificate)
      throw new VigilError('unavailable', `${url}: the server offers ${choice.mode} without a certificate`)
    const own = firstOfChain(choice.certificate)
    const status = await cm.checkCertificate(choice.certificate)
    if (status.name === 'BadCertificateUntrusted')
      throw new UntrustedCertificateError(url, certificateInfo(own))
    if (status.value !== 0)
      throw new VigilError(
        'unavailable',
        `${url}: the server certificate ${certificateInfo(own).thumbprint} is refused: ${status.name} (${status.description})`,
      )
  }
  const client = m.OPCUAClient.create({
    applicationName: APPLICATION_NAME,
    clientCertificateManager: cm,
    securityMode: m.MessageSecurityMode[choice.mode],
    securityPolicy: choice.policy as never,
    serverCertificate: choice.certificate ?? undefined,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 1000 },
    keepSessionAlive: true,
    keepAliveInterval: o.keepaliveMs,
    requestedSessionTimeout: Math.max(60_000, 4 * o.keepaliveMs),
    defaultTransactionTimeout: timeoutMs,
  })
  let closing = false
  let settle: (why: string) => void = () => {}
  const lost = new Promise<string>((r) => (settle = r))
  const fire = (why: string) => {
    if (!closing) settle(why)
  }
  client.on('connection_lost', () => fire('connection to the server lost'))
  client.on('close', (err?: Error | null) =>
    fire(err ? `connection closed: ${err.message}` : 'connection closed'),
  )
  const disconnect = () => within(client.disconnect(), 3000, 'disconnect').catch(() => {})
  try {
    await within(client.connect(url), timeoutMs, `${url}: connect`)
    const identity: UserIdentityInfo = o.conn.user
      ? { type: m.UserTokenType.UserName, userName: o.conn.user.username, password: o.password ?? '' }
      : { type: m.UserTokenType.Anonymous }
    const session = await within(client.createSession(identity), timeoutMs, `${url}: sign-in`).catch(
      (e: Error) => {
        throw /BadIdentityToken|BadUserAccessDenied|BadUser/.test(e.message)
          ? new VigilError(
              'forbidden',
              `${url}: the server refused ${o.conn.user ? `user "${o.conn.user.username}"` : 'anonymous sign-in'} (${e.message})`,
            )
          : e
      },
    )
    session.on('session_closed', () => fire('the server closed the session'))
    session.on('keepalive_failure', () => fire('the server stopped answering keepalives'))
    return {
      client,
      session,
      security: { mode: choice.mode, policy: choice.policy },
      lost,
      async close() {
        closing = true
        await within(session.close(true), 3000, 'close session').catch(() => {})
        await disconnect()
      },
    }
  } catch (e) {
    closing = true
    await disconnect()
    throw e
  }
}

/** What the server at `url` offers (modes, policies, its certificate), in names. */
export async function fetchOffers(url: string, pkiDir: string, timeoutMs = 10_000) {
  return describeOffers(await discover(await loadOpcua(), await certificateManager(pkiDir), url, timeoutMs))
}

/** The endpoints a server offers, over a channel without security (as OPC UA discovery is). */
async function discover(m: Opcua, cm: OPCUACertificateManager, url: string, timeoutMs: number) {
  const c = m.OPCUAClient.create({
    applicationName: APPLICATION_NAME,
    clientCertificateManager: cm,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 1000 },
    defaultTransactionTimeout: timeoutMs,
  })
  try {
    await within(c.connect(url), timeoutMs, `${url}: connect`)
    return await within(c.getEndpoints(), timeoutMs, `${url}: getEndpoints`)
  } catch (e) {
    throw new VigilError('unavailable', `${url}: ${(e as Error).message.split('\n')[0]}`)
  } finally {
    await within(c.disconnect(), 3000, 'disconnect').catch(() => {})
  }
}

/** `p`, or an error naming `what` after `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VigilError('unavailable', `${what}: no answer in ${ms} ms`)), ms)
  })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}
