import type { AssetView } from '../../../shared/contract.ts'
import { qualityLabel } from '../../../shared/quality.ts'
import { SensorState } from '../../../shared/samples.ts'
import { formatValue, sensorStateName } from '../../state/format.ts'
import type { AssetLive } from '../../state/live-store.ts'

const stateClass: Record<number, string> = {
  [SensorState.ANOMALOUS]: 'cell-warning',
  [SensorState.CRITICAL]: 'cell-critical',
  [SensorState.BAD_DATA]: 'cell-low',
}

/** Each sensor's newest value, its quality, the model's verdict on it and its share of the error. */
export function SensorTable({ asset, live }: { asset: AssetView; live: AssetLive | undefined }) {
  const score = live?.score
  return (
    <table className="grid sensors" data-testid="sensor-table">
      <thead>
        <tr>
          <th>Sensor</th>
          <th className="num">Value</th>
          <th>Quality</th>
          <th>State</th>
          <th title="Each sensor's share of the model's reconstruction error, weighed against that sensor's error in normal running: about equal shares when all is normal">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {asset.tags.map((t, i) => {
          const q = live ? live.samples.latestQuality(i) : 0
          const state = score?.sensorState[i]
          const c = score?.contrib[i] ?? NaN
          return (
            <tr key={t.id} data-tag={t.id}>
              <th scope="row" title={t.id}>
                {t.name ?? t.id}
              </th>
              <td className="num value">
                {formatValue(live ? live.samples.latest(i) : NaN)} <span className="unit">{t.unit}</span>
              </td>
              <td className={q === 0 ? 'quality muted' : 'quality cell-low'}>{qualityLabel(q)}</td>
              <td className={stateClass[state ?? -1] ?? ''}>{sensorStateName(state)}</td>
              <td>
                {Number.isFinite(c) && (
                  <div
                    className="contrib"
                    title={`${(c * 100).toFixed(1)} % of the reconstruction error, weighed against this sensor's normal error`}
                  >
                    <div
                      className={`contrib-fill ${stateClass[state ?? -1] ?? ''}`}
                      style={{ width: `${Math.min(100, c * 100).toFixed(1)}%` }}
                    />
                    <span>{(c * 100).toFixed(0)}%</span>
                  </div>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
