import { useEffect, useState } from 'react'
import type { SetpointInfo } from '../../../shared/setpoints.ts'
import { call, errorText } from '../../api/index.ts'
import { formatValue } from '../../state/format.ts'

/**
 * Setpoints of simulated assets (the compressor's speed and guide vanes): try a value, or
 * hand it back to the asset's schedule. Only a simulator takes them; Vigil never writes to a
 * real plant. Assets without setpoints, or a user not allowed to change them, show nothing.
 */
export function SetpointPanel({ assetIds }: { assetIds: string[] }) {
  const [points, setPoints] = useState<Record<string, SetpointInfo[]>>({})
  const [error, setError] = useState<string | null>(null)
  const key = assetIds.join(',')
  useEffect(() => {
    let alive = true
    void Promise.all(
      key.split(',').map(async (assetId) => {
        try {
          return [assetId, (await call('sim.setpoint', { assetId })).setpoints] as const
        } catch {
          return [assetId, []] as const
        }
      }),
    ).then((all) => alive && setPoints(Object.fromEntries(all.filter(([, p]) => p.length))))
    return () => {
      alive = false
    }
  }, [key])

  const apply = async (assetId: string, tag: string, value: number | null) => {
    try {
      const r = await call('sim.setpoint', { assetId, tag, value })
      setPoints((p) => ({ ...p, [assetId]: r.setpoints }))
      setError(null)
    } catch (e) {
      setError(`${assetId}: ${errorText(e)}`)
    }
  }
  const assets = Object.entries(points)
  if (!assets.length) return null
  return (
    <div className="setpoints" data-testid="setpoints">
      <h2>Simulator setpoints</h2>
      <p className="muted">Tried on the simulator only: Vigil never writes to a real plant.</p>
      {error && <p className="banner banner-warning">{error}</p>}
      {assets.map(([assetId, list]) => (
        <table className="grid" key={assetId}>
          <caption>{assetId}</caption>
          <tbody>
            {list.map((p) => (
              <SetpointRow key={p.tag} p={p} onSet={(v) => void apply(assetId, p.tag, v)} />
            ))}
          </tbody>
        </table>
      ))}
    </div>
  )
}

function SetpointRow({ p, onSet }: { p: SetpointInfo; onSet: (v: number | null) => void }) {
  const [text, setText] = useState(String(Math.round(p.value * 10) / 10))
  return (
    <tr>
      <th scope="row">{p.tag}</th>
      <td className="num">
        {formatValue(p.value)} {p.unit}
      </td>
      <td className="muted">{p.held ? 'held' : 'schedule'}</td>
      <td>
        <input
          type="number"
          min={p.min}
          max={p.max}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label={`${p.tag} setpoint`}
        />{' '}
        <button type="button" className="small" onClick={() => onSet(Number(text))}>
          Set
        </button>{' '}
        {p.held && (
          <button type="button" className="small" onClick={() => onSet(null)}>
            Release
          </button>
        )}
      </td>
    </tr>
  )
}
