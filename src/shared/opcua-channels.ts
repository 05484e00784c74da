import { z } from 'zod'
import { OpcuaConnection, OpcuaEndpoint } from './opcua-config.ts'

/*
 * The contract's channels for OPC UA servers (contract.ts spreads them in): browse a server's
 * address space to pick variables for tags, and trust a server's certificate once. A server
 * whose certificate is not trusted is never browsed nor read: browse answers `untrusted` with
 * the certificate, for a person to check and trust.
 */

const res = <T>() => z.custom<T>(() => true)

/** A server application certificate, as a person checks it before trusting it. */
export interface OpcuaCertificateInfo {
  /** SHA-1 of the DER certificate, hex: what OPC UA tools show and `opcua.trust` takes. */
  thumbprint: string
  subject: string
  issuer: string
  validFrom: string
  validTo: string
  applicationUri?: string
}

export interface OpcuaBrowseNode {
  nodeId: string
  browseName: string
  displayName: string
  nodeClass: 'Object' | 'Variable' | 'Method' | 'View' | 'ObjectType' | 'VariableType' | 'Other'
  /** Objects and variables may hold children; browse them with this node id. */
  hasChildren: boolean
  /** Variables: the data type's name, the current value when numeric, and the unit when the server gives one. */
  dataType?: string
  value?: number | string | boolean | null
  unit?: string
}

export type OpcuaBrowseResult =
  | {
      status: 'ok'
      nodeId: string
      /** The security the session was opened with. */
      security: { mode: string; policy: string }
      children: OpcuaBrowseNode[]
    }
  | { status: 'untrusted'; certificate: OpcuaCertificateInfo; endpoint: string }

export const opcuaChannels = {
  /** The children of a node (default: the Objects folder), opening a session as a source would. */
  'opcua.browse': {
    req: OpcuaConnection.extend({ nodeId: z.string().min(1).max(1000).optional() }).strict(),
    res: res<OpcuaBrowseResult>(),
  },
  /** Trusts the server certificate with this thumbprint (as offered by the endpoint or refused earlier). */
  'opcua.trust': {
    req: z
      .object({
        endpoint: OpcuaEndpoint,
        thumbprint: z.string().regex(/^[0-9A-Fa-f:]{40,59}$/, 'must be a SHA-1 thumbprint in hex'),
      })
      .strict(),
    res: res<{ trusted: OpcuaCertificateInfo; file: string }>(),
  },
} as const
