import { z } from 'zod'

/** Sparkplug B group, edge node and device ids: no MQTT wildcards or level separators. */
const SparkplugId = z.string().regex(/^[^/+#]+$/, 'must not contain "/", "+" or "#"')
const Qos = z.union([z.literal(0), z.literal(1)])

/** How to reach a plant broker (Mosquitto, EMQX, HiveMQ): the same block for sources and the publisher. */
export const MqttBroker = z
  .object({
    /** mqtt://host:1883, mqtts://host:8883 (TLS), ws:// or wss://. */
    url: z
      .string()
      .regex(/^(mqtts?|wss?|tcp|ssl|tls):\/\/[^/]/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL'),
    /** Fixed, so the broker keeps this client's session (and what it missed) across reconnects. */
    clientId: z.string().min(1).max(128).optional(),
    username: z.string().optional(),
    /** A password written in the plant file: for a test bench only; a plant uses passwordSecret. */
    password: z.string().optional(),
    /** Name of an environment variable holding the password, to keep it out of the plant file. */
    passwordEnv: z.string().optional(),
    /** Name of a secret holding the password (`vigil secret set NAME`; the OS keychain on the desktop). */
    passwordSecret: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,99}$/, 'must be a secret name')
      .optional(),
    tls: z
      .object({
        /** PEM files; relative paths are read from the working directory. */
        ca: z.string().optional(),
        cert: z.string().optional(),
        key: z.string().optional(),
        /** false accepts any server certificate: for a test bench only, never a plant. */
        rejectUnauthorized: z.boolean().default(true),
        /** The name the server certificate must carry, when the URL's host differs from it. */
        servername: z.string().optional(),
      })
      .strict()
      .optional(),
    keepaliveS: z.number().int().min(0).max(65535).default(30),
    /** false = persistent session: QoS 1 messages published while this client was away are kept for it. */
    clean: z.boolean().default(false),
    /** Reconnect backoff: doubles from minMs to maxMs, back to minMs once connected. */
    reconnect: z
      .object({
        minMs: z.number().int().min(10).default(500),
        maxMs: z.number().int().min(10).default(30_000),
      })
      .strict()
      .default({ minMs: 500, maxMs: 30_000 }),
  })
  .strict()
  .refine((b) => [b.password, b.passwordEnv, b.passwordSecret].filter((p) => p !== undefined).length <= 1, {
    message: 'give at most one of "password", "passwordEnv" or "passwordSecret"',
    path: ['passwordSecret'],
  })
export type MqttBroker = z.infer<typeof MqttBroker>

/** One JSON topic (MQTT wildcards allowed) and where each tag's value sits in its payload. */
export const MqttJsonTopic = z
  .object({
    topic: z.string().min(1),
    /** Dot path of the timestamp ("ts", "meta.time"); absent: the time the message arrived. */
    time: z.string().optional(),
    /** Numeric timestamps are epoch ms or s; strings are read as ISO 8601. */
    timeUnit: z.enum(['ms', 's']).default('ms'),
    /** Tag id -> dot path of its value ("bearing.temp", "values.3"); "$" is the whole payload. */
    fields: z.record(z.string(), z.string()).refine((f) => Object.keys(f).length > 0, 'map at least one tag'),
  })
  .strict()
export type MqttJsonTopic = z.infer<typeof MqttJsonTopic>

/** A Sparkplug B edge node (or one of its devices) whose metrics feed the asset's tags. */
export const MqttSparkplugSub = z
  .object({
    group: SparkplugId,
    node: SparkplugId,
    /** Absent: the node's own metrics (NBIRTH/NDATA). */
    device: SparkplugId.optional(),
    /** Tag id -> metric name; a tag left out matches a metric named like it, or ending in "/<tag id>". */
    metrics: z.record(z.string(), z.string()).default({}),
    /** Least time between two rebirth requests, so a flapping link cannot start a storm. */
    rebirthEveryMs: z.number().int().min(0).default(5000),
  })
  .strict()
export type MqttSparkplugSub = z.infer<typeof MqttSparkplugSub>

export const MqttSource = z
  .object({
    kind: z.literal('mqtt'),
    broker: MqttBroker,
    /** Subscription QoS: 1 with a persistent session loses nothing while the link is down. */
    qos: Qos.default(1),
    json: z.array(MqttJsonTopic).min(1).optional(),
    sparkplug: MqttSparkplugSub.optional(),
    /** Connected but silent this long: the source turns 'stale'. */
    staleAfterS: z.number().positive().default(30),
    /** How long the values of one timestamp may trickle in (one topic per tag) before its row is sent. */
    holdMs: z.number().int().min(0).max(5000).default(200),
    /** Status (samples/s, last sample time) is refreshed this often. */
    statusEveryMs: z.number().int().min(100).default(5000),
  })
  .strict()
  .refine((s) => (s.json === undefined) !== (s.sparkplug === undefined), {
    message: 'give exactly one of "json" (topic mapping) or "sparkplug"',
    path: ['json'],
  })
export type MqttSource = z.infer<typeof MqttSource>

/** What one Vigil (usually `vigil serve` at the edge) publishes for others to subscribe to. */
export const MqttPublish = z
  .object({
    broker: MqttBroker,
    format: z.enum(['sparkplug', 'json']).default('sparkplug'),
    /** Sparkplug group and edge node; each asset is a device named by its id. */
    group: SparkplugId.default('Vigil'),
    /** Default: "vigil-" and the host name. */
    node: SparkplugId.optional(),
    /** JSON topics are <prefix>/<asset>/samples|scores|predictions; events go to <prefix>/<asset>/events in both formats. */
    topicPrefix: z
      .string()
      .regex(/^[^+#]*[^/+#]$/, 'must not contain "+" or "#" nor end in "/"')
      .default('vigil'),
    /** QoS of samples and scores (Sparkplug B says 0). Events (anomaly changes, alarms) always go at 1. */
    dataQos: Qos.default(0),
    samples: z.boolean().default(true),
    /** Model outputs: detector scores and predictor outputs (RUL, P(defect), setpoint advice). */
    scores: z.boolean().default(true),
  })
  .strict()
export type MqttPublish = z.infer<typeof MqttPublish>
