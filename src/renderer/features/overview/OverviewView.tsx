import type { ViewProps } from '../../shell/view.ts'
import { useSession } from '../../state/use-live.ts'
import { AssetTile } from './AssetTile.tsx'

export function OverviewView(_: ViewProps) {
  const plant = useSession((s) => s.plant)
  if (!plant) return <p className="empty">Loading the plant…</p>
  return (
    <section className="overview">
      <h1>{plant.name}</h1>
      <div className="tiles">
        {plant.assets.map((a) => (
          <AssetTile key={a.id} asset={a} />
        ))}
      </div>
    </section>
  )
}
