import type { z } from 'zod'
import type { Contract, Req } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import type { OpcuaBrowseResult } from '../../shared/opcua-channels.ts'
import { browseChildren, OBJECTS_FOLDER } from './browse.ts'
import { loadOpcua } from './load.ts'
import { clientPkiDir } from './pki.ts'
import { openSession, UntrustedCertificateError, type OpenSession } from './session.ts'
import { trustByThumbprint } from './trust.ts'

type In<M extends keyof Contract> = z.output<Contract[M]['req']>

/** A browse session left unused this long is closed. */
const IDLE_MS = 60_000

export interface OpcuaHandlerDeps {
  /** The user-data folder (the client PKI is its opcua/pki). */
  dataDir: string
  secret(name: string): string
}

/**
 * The engine's handlers for opcua.browse and opcua.trust. Browsing keeps one session per
 * server and sign-in for a minute after its last use, so expanding a tree node by node does
 * not open a secure channel per click; `close` ends them when the engine stops.
 */
export function opcuaHandlers(deps: OpcuaHandlerDeps) {
  const pkiDir = clientPkiDir(deps.dataDir)
  const sessions = new Map<string, { s: Promise<OpenSession>; idle?: NodeJS.Timeout }>()
  const drop = (key: string) => {
    const e = sessions.get(key)
    if (!e) return
    sessions.delete(key)
    clearTimeout(e.idle)
    void e.s.then((s) => s.close()).catch(() => {})
  }

  const handlers = {
    'opcua.browse': async (req: Req<'opcua.browse'>): Promise<OpcuaBrowseResult> => {
      // dispatch hands over the parsed request: defaults (security 'auto') are filled in.
      const { nodeId = OBJECTS_FOLDER, ...conn } = req as In<'opcua.browse'>
      const key = JSON.stringify([conn.endpoint, conn.securityMode, conn.securityPolicy, conn.user ?? null])
      let e = sessions.get(key)
      if (!e) {
        const password = conn.user ? deps.secret(conn.user.passwordSecret) : undefined
        const s = openSession({ conn, pkiDir, password, keepaliveMs: 10_000, reloadTrust: true })
        e = { s }
        sessions.set(key, e)
        s.then((open) => open.lost.then(() => sessions.get(key)?.s === s && drop(key))).catch(() => {
          if (sessions.get(key)?.s === s) sessions.delete(key)
        })
      }
      const entry = e
      clearTimeout(entry.idle)
      entry.idle = setTimeout(() => drop(key), IDLE_MS)
      entry.idle.unref()
      let open: OpenSession
      try {
        open = await entry.s
      } catch (err) {
        if (err instanceof UntrustedCertificateError)
          return { status: 'untrusted', certificate: err.certificate, endpoint: err.endpoint }
        throw err
      }
      const m = await loadOpcua()
      try {
        const children = await browseChildren(m, open.session, nodeId)
        return { status: 'ok', nodeId, security: open.security, children }
      } catch (err) {
        throw new VigilError('bad-request', `${conn.endpoint}: ${(err as Error).message}`)
      }
    },

    'opcua.trust': async ({ endpoint, thumbprint }: Req<'opcua.trust'>) => {
      const r = await trustByThumbprint(pkiDir, thumbprint, endpoint)
      // Sessions opened before the trust was given failed; the next browse opens them afresh.
      for (const key of [...sessions.keys()]) drop(key)
      return r
    },
  }

  return {
    handlers,
    async close() {
      const all = [...sessions.values()]
      sessions.clear()
      for (const e of all) clearTimeout(e.idle)
      await Promise.all(all.map((e) => e.s.then((s) => s.close()).catch(() => {})))
    },
  }
}
