import type { ReactNode } from 'react'
import type { Health } from '../../../shared/contract.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatBytes, formatDuration } from '../../state/format.ts'
import { formatRate } from './health-rates.ts'
import { SourcesTable } from './SourcesTable.tsx'
import { StorePanel } from './StorePanel.tsx'
import { useHealth } from './use-health.ts'
import './health.css'

const ms = (v: number | null | undefined) =>
  v != null && Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—'

/** One headline figure; `abnormal` turns it amber (ISA-101: colour only for what needs a look). */
function Figure(p: {
  label: string
  value: ReactNode
  sub?: ReactNode
  abnormal?: boolean
  testId?: string
}) {
  return (
    <div className="figure" data-state={p.abnormal ? 'warn' : 'ok'} data-testid={p.testId}>
      <span className="label">{p.label}</span>
      <b className="num">{p.value}</b>
      {p.sub !== undefined && <span className="sub">{p.sub}</span>}
    </div>
  )
}

function PipelineTable({ h }: { h: Health }) {
  const load = h.load
  const rows: [string, string, boolean?][] = [
    ['Engine up for', formatDuration((Date.now() - h.startedAt) / 1000)],
    ['Samples in', h.samplesIn.toLocaleString()],
    ['Samples stored', h.samplesStored.toLocaleString()],
    ['Windows scored', h.windowsScored.toLocaleString()],
    ['Batches sent again after a worker died', h.batchesRetried.toLocaleString(), h.batchesRetried > 0],
    ['Batches lost', h.batchesLost.toLocaleString(), h.batchesLost > 0],
  ]
  if (load) {
    rows.push(
      ['Load shedding', load.stage === 0 ? 'none' : `stage ${load.stage}: ${load.message}`, load.stage > 0],
      [
        'Queue peak / bound',
        `${load.queue.peak.toLocaleString()} / ${load.queue.bound.toLocaleString()} samples`,
      ],
      [
        'Model calls',
        `${load.models.calls.toLocaleString()} calls, ${(load.models.ms / 1000).toFixed(1)} s in total`,
      ],
      // Each thread opens one session per model it serves; more than that would be sessions of replaced models
      // left open, which the threads are meant to close.
      [
        'Model sessions open',
        `${load.models.sessions} (at most ${h.models.length * load.threads.length}: ${h.models.length} models × ${load.threads.length} threads)`,
        load.models.sessions > h.models.length * load.threads.length,
      ],
      ['Worker threads busy', load.threads.map((t) => `${Math.round(t * 100)} %`).join(' · ') || '—'],
      [
        'Shed so far',
        `${load.shed.windowsSkipped.toLocaleString()} windows skipped, ${load.shed.samplesUnchecked.toLocaleString()} samples stored unchecked, ${load.shed.liveMessagesMerged.toLocaleString()} live messages merged`,
      ],
    )
  }
  rows.push(['Connected clients', String(h.clients)])
  return (
    <table className="kv" data-testid="pipeline">
      <tbody>
        {rows.map(([k, v, bad]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className={bad ? 'cell-warning' : ''}>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** System health for the admin: latency, throughput, queues, losses, memory, the store, sources and models. */
export function HealthView(_: ViewProps) {
  const { health: h, rates, stats, error } = useHealth()
  if (!h) return <p className="empty">{error ?? 'Reading system health…'}</p>
  const lat = h.pipelineLatencyMs
  const q = h.load?.queue
  const mem = h.memory
  return (
    <section className="health" data-testid="health-view">
      <h1>System health</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      <div className="figures">
        <Figure
          label="Pipeline latency p50"
          value={ms(lat.p50)}
          sub={`p95 ${ms(lat.p95)} · p99 ${ms(lat.p99)}`}
          testId="latency"
        />
        <Figure
          label="Throughput"
          value={`${formatRate(rates?.samplesPerS)} samples/s`}
          sub={`${formatRate(rates?.windowsPerS)} windows/s scored · ${formatRate(rates?.storedPerS)} samples/s stored`}
          testId="throughput"
        />
        <Figure
          label="In the pipeline"
          value={q ? `${q.samples.toLocaleString()} samples` : '—'}
          sub={q ? `oldest waiting ${ms(q.oldestMs)} · bound ${q.bound.toLocaleString()}` : undefined}
          abnormal={!!q && q.samples > q.bound / 2}
        />
        <Figure
          label="Dropped samples"
          value={h.dropped.toLocaleString()}
          abnormal={h.dropped > 0}
          testId="dropped"
        />
        <Figure
          label="Worker restarts"
          value={h.workerRestarts.toLocaleString()}
          sub={`${h.batchesLost.toLocaleString()} batches lost`}
          abnormal={h.workerRestarts > 0}
        />
        <Figure
          label="Memory (resident)"
          value={mem ? formatBytes(mem.rss) : '—'}
          sub={
            mem
              ? `heap ${formatBytes(mem.heapUsed)} of ${formatBytes(mem.heapTotal)} · buffers ${formatBytes(mem.arrayBuffers)}`
              : undefined
          }
          testId="memory"
        />
        <Figure
          label="History database"
          value={formatBytes(stats?.bytes ?? h.dbBytes)}
          sub={stats ? `${stats.samples.toLocaleString()} samples` : undefined}
        />
      </div>
      <div className="health-columns">
        <div className="health-col">
          <section className="panel">
            <h2>Sources</h2>
            <SourcesTable h={h} rates={rates} />
          </section>
          <section className="panel" data-testid="health-models">
            <h2>Models</h2>
            <ul className="plain">
              {h.models.map((m) => (
                <li key={m.id}>
                  {m.id} <span className="muted">v{m.version}</span>
                </li>
              ))}
              {h.models.length === 0 && <li className="muted">No model loaded.</li>}
            </ul>
            {h.modelErrors.length > 0 && <h3>Errors</h3>}
            <ul className="plain model-errors">
              {h.modelErrors.map((m) => (
                <li key={`${m.folder}:${m.message}`} className="cell-critical">
                  {m.folder}: {m.message}
                </li>
              ))}
            </ul>
          </section>
          <section className="panel">
            <h2>Pipeline</h2>
            <PipelineTable h={h} />
          </section>
        </div>
        <StorePanel status={h.store} stats={stats} />
      </div>
    </section>
  )
}
