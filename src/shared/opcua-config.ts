import { z } from 'zod'

/** opc.tcp://host:4840/path — the only transport node-opcua speaks. */
export const OpcuaEndpoint = z
  .string()
  .max(2000)
  .regex(/^opc\.tcp:\/\/[^/\s]+/, 'must be an opc.tcp:// URL, e.g. opc.tcp://plc-7:4840')

/** 'auto' takes the most secure the server offers: SignAndEncrypt, then Sign, then None. */
export const OpcuaSecurityMode = z.enum(['auto', 'None', 'Sign', 'SignAndEncrypt'])
export type OpcuaSecurityMode = z.infer<typeof OpcuaSecurityMode>

/** Strongest first; 'auto' takes the first of these the server offers for the chosen mode. */
export const OPCUA_POLICIES = ['Aes256_Sha256_RsaPss', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep'] as const
export const OpcuaSecurityPolicy = z.enum(['auto', ...OPCUA_POLICIES])

/** User name and the name of a secret holding the password (`vigil secret set NAME`): never the password itself. */
export const OpcuaUser = z
  .object({
    username: z.string().min(1).max(200),
    passwordSecret: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,99}$/, 'must be a secret name'),
  })
  .strict()

/** How to reach one server: shared by the source, browsing and trusting. */
export const OpcuaConnection = z
  .object({
    endpoint: OpcuaEndpoint,
    securityMode: OpcuaSecurityMode.default('auto'),
    securityPolicy: OpcuaSecurityPolicy.default('auto'),
    /** Absent: anonymous. */
    user: OpcuaUser.optional(),
  })
  .strict()
export type OpcuaConnection = z.infer<typeof OpcuaConnection>

/**
 * Report a change only when it exceeds this: 'absolute' in the tag's unit, 'percent' of the
 * node's EURange (servers refuse percent on nodes without one).
 */
export const OpcuaDeadband = z
  .object({ type: z.enum(['absolute', 'percent']), value: z.number().min(0).max(1e12) })
  .strict()

const TagId = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a tag id')
const NodeId = z.string().min(3).max(1000)

/** One node's tag, and what to change from the source's defaults for it. */
export const OpcuaItem = z.union([
  TagId,
  z
    .object({
      tag: TagId,
      samplingIntervalMs: z.number().min(0).max(3_600_000).optional(),
      deadband: OpcuaDeadband.optional(),
    })
    .strict(),
])

export const OpcuaSource = OpcuaConnection.extend({
  kind: z.literal('opcua'),
  /** Node id -> tag id ("ns=1;s=P-101.Motor_RPM": "Motor_RPM"); a tag no node feeds stays MISSING. */
  nodes: z.record(NodeId, OpcuaItem).refine((n) => Object.keys(n).length > 0, 'map at least one node'),
  /** The server samples each node this often (ms); 0 asks for every change. */
  samplingIntervalMs: z.number().min(0).max(3_600_000).default(1000),
  /** Notifications are sent this often; default: the sampling interval (at least 50 ms). */
  publishingIntervalMs: z.number().min(10).max(3_600_000).optional(),
  deadband: OpcuaDeadband.optional(),
  /** Values the server keeps per node between two publishes. */
  queueSize: z.number().int().min(1).max(1000).default(10),
  /** Which time a value carries: the device's (source, falling back to the server's) or the server's. */
  timestamps: z.enum(['source', 'server']).default('source'),
  /**
   * Values this close in time (ms) join one row, so a server that stamps each node a few ms
   * apart still gives one row per scan. Default: half the sampling interval.
   */
  rowWindowMs: z.number().min(0).max(60_000).optional(),
  /** Session keepalive and subscription keepalive, ms: a silent link is noticed within about twice this. */
  keepaliveMs: z.number().int().min(100).max(600_000).default(5000),
  /** Reconnect backoff: doubles from minMs to maxMs, back to minMs once connected. */
  reconnect: z
    .object({
      minMs: z.number().int().min(10).default(500),
      maxMs: z.number().int().min(10).default(30_000),
    })
    .strict()
    .default({ minMs: 500, maxMs: 30_000 }),
  /** How long the values of one row may trickle in before the row is sent. */
  holdMs: z.number().int().min(0).max(5000).default(200),
  /** Status (samples/s, last sample time) is refreshed this often. */
  statusEveryMs: z.number().int().min(100).default(5000),
}).strict()
export type OpcuaSource = z.infer<typeof OpcuaSource>
