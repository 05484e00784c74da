import { useState } from 'react'
import type { AssetView } from '../../../shared/contract.ts'
import {
  FaultKinds,
  SimulatorFaults,
  type ActiveFault,
  type FaultKind,
  type SimulatorModel,
} from '../../../shared/samples.ts'
import { call, errorText } from '../../api/index.ts'
import { formatDuration, formatTime } from '../../state/format.ts'
import { applyLive, liveStore } from '../../state/live-store.ts'
import { notify, sessionStore } from '../../state/session-store.ts'

const isSensorFault = (k: FaultKind) => k.startsWith('sensor_')
const label = (k: FaultKind) => k.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase())
const ramps = [0, 60, 600, 3600]
/** The faults the asset's simulator takes (a compressor does not cavitate). */
const offered = (c: AssetView['class']): readonly FaultKind[] =>
  Object.hasOwn(SimulatorFaults, c) ? SimulatorFaults[c as SimulatorModel] : FaultKinds

/**
 * The demo's fault injection: a simulated asset can be made to wear a bearing, cavitate or
 * lose a sensor so the models and alarms can be watched reacting. Process faults act on the
 * whole pump; sensor faults on the picked tag.
 */
export function FaultControl({ asset, active }: { asset: AssetView; active: ActiveFault[] }) {
  const [tag, setTag] = useState(asset.tags[0]?.id ?? '')
  const [rampS, setRampS] = useState(60)
  const [busy, setBusy] = useState(false)

  const run = async (f: () => Promise<{ active: ActiveFault[] }>) => {
    setBusy(true)
    try {
      const r = await f()
      applyLive(liveStore, { topic: 'faults', assetId: asset.id, active: r.active })
    } catch (e) {
      notify(sessionStore, `${asset.id}: ${errorText(e)}`)
    } finally {
      setBusy(false)
    }
  }
  const inject = (fault: FaultKind) =>
    run(() =>
      call('sim.inject', { assetId: asset.id, fault, rampS, ...(isSensorFault(fault) ? { tag } : {}) }),
    )
  const clear = (fault?: FaultKind) =>
    run(() => call('sim.clear', { assetId: asset.id, ...(fault ? { fault } : {}) }))

  return (
    <section className="panel faults" data-testid="fault-control">
      <h2>Simulated faults</h2>
      <label className="fault-ramp">
        Ramp to full severity
        <select value={rampS} onChange={(e) => setRampS(Number(e.target.value))} data-testid="fault-ramp">
          {ramps.map((r) => (
            <option key={r} value={r}>
              {r === 0 ? 'at once' : `over ${formatDuration(r)} simulated`}
            </option>
          ))}
        </select>
      </label>
      <h3>Process</h3>
      <div className="fault-buttons">
        {offered(asset.class)
          .filter((k) => !isSensorFault(k))
          .map((k) => (
            <button key={k} type="button" disabled={busy} onClick={() => void inject(k)} data-fault={k}>
              {label(k)}
            </button>
          ))}
      </div>
      <h3 className="fault-sensor-head">
        Sensor
        <select value={tag} onChange={(e) => setTag(e.target.value)} data-testid="fault-tag">
          {asset.tags.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name ?? t.id}
            </option>
          ))}
        </select>
      </h3>
      <div className="fault-buttons">
        {FaultKinds.filter(isSensorFault).map((k) => (
          <button key={k} type="button" disabled={busy} onClick={() => void inject(k)} data-fault={k}>
            {label(k)
              .replace(/^Sensor /, '')
              .replace(/^./, (c) => c.toUpperCase())}
          </button>
        ))}
      </div>
      <h3>Active</h3>
      {active.length === 0 ? (
        <p className="muted">None: the asset runs as built.</p>
      ) : (
        <ul className="active-faults" data-testid="active-faults">
          {active.map((f) => (
            <li key={`${f.kind}/${f.tag ?? ''}`}>
              <strong>{label(f.kind)}</strong>
              {f.tag && ` on ${f.tag}`}
              <span className="muted">
                {' '}
                since {formatTime(f.since)}, severity {(f.severity * 100).toFixed(0)}%
                {f.rampS > 0 ? `, ramp ${formatDuration(f.rampS)}` : ''}
              </span>
              <button type="button" className="small" disabled={busy} onClick={() => void clear(f.kind)}>
                Clear
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="small" disabled={busy} onClick={() => void clear()}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </section>
  )
}
