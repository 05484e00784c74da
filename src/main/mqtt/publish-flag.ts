import { VigilError } from '../../shared/errors.ts'
import { MqttPublish } from '../../shared/mqtt-config.ts'
import { formatIssues } from '../../shared/zod-format.ts'

/**
 * `vigil serve --mqtt-publish URL`: Sparkplug B to that broker with every default (group
 * "Vigil", node "vigil-<host>", data at QoS 0, events at QoS 1, a persistent session). A
 * user and password may ride in the URL (mqtt://user:pass@host:1883); TLS files, JSON and
 * the rest need a `publish` block in the plant file.
 */
export function publishFromUrl(url: string, flag = '--mqtt-publish'): MqttPublish {
  const r = MqttPublish.safeParse({ broker: { url } })
  if (!r.success) throw new VigilError('config.invalid', `${flag}: ${formatIssues(r.error)}`)
  return r.data
}
