import { SensorState } from '../../shared/samples.ts'
import { useLiveAsset, useSession } from '../state/use-live.ts'
import { href } from './router.ts'

function AssetAbnormal({ id, name, tagNames }: { id: string; name: string; tagNames: string[] }) {
  const a = useLiveAsset(id, 500)
  const s = a?.score
  if (!s?.anomaly) return null
  const critical = tagNames.filter((_, i) => s.sensorState[i] === SensorState.CRITICAL)
  return (
    <a className="banner banner-critical" href={href('asset', id)} data-testid={`abnormal-${id}`}>
      <strong>{id} ANOMALY</strong>
      <span>
        {name}: score {s.score.toPrecision(3)} over threshold {s.threshold.toPrecision(3)}
        {critical.length > 0 && ` · CRITICAL: ${critical.join(', ')}`}
      </span>
    </a>
  )
}

/** The shell's alarm area: one line per abnormal asset, most severe first by colour, linking to it. */
export function AbnormalBanner() {
  const plant = useSession((s) => s.plant)
  return (
    <>
      {plant?.assets.map((a) => (
        <AssetAbnormal key={a.id} id={a.id} name={a.name} tagNames={a.tags.map((t) => t.name ?? t.id)} />
      ))}
    </>
  )
}
