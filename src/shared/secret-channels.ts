import { z } from 'zod'

/*
 * The contract's channels for secrets (OPC UA and MQTT passwords, API keys): how the desktop
 * app, which seals them with the OS keychain, gets them into its store at all (`vigil secret`
 * only writes the headless key-file store). Values go in and never come out: list answers
 * names only, and the audit blanks the `secret` field.
 */

const res = <T>() => z.custom<T>(() => true)
/** What plant files refer to (`passwordSecret`): "mqtt/plant-broker", "opcua.line-2". */
export const SecretName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,99}$/, 'must be a secret name')

export const secretChannels = {
  /** The names held and how they are sealed ('electron-safe-storage' or 'aes-256-gcm'); never a value. */
  'secrets.list': { req: z.object({}).strict(), res: res<{ names: string[]; scheme: string }>() },
  'secrets.set': {
    req: z
      .object({
        name: SecretName,
        secret: z
          .string()
          .min(1)
          .max(64 * 1024),
      })
      .strict(),
    res: res<{ name: string }>(),
  },
  'secrets.delete': { req: z.object({ name: SecretName }).strict(), res: res<{ deleted: boolean }>() },
} as const
