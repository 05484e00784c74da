import type { ImportProgress } from '../../../shared/import.ts'
import { download } from '../../shell/download.ts'
import { useImportJob } from './use-import-job.ts'
import { finished, progressText, reportFileName } from './wizard-model.ts'

const STATE_WORDS: Record<ImportProgress['state'], string> = {
  running: 'Importing',
  committing: 'Committing',
  done: 'Imported',
  cancelled: 'Cancelled',
  aborted: 'Aborted',
  failed: 'Failed',
}

/** Shown bad rows; the exported report holds the rest (up to the engine's 10,000, with counts of all). */
const SHOWN = 200

/**
 * A running import: progress, rows/s, time left and Cancel; then the outcome, the bad rows
 * with file, line and reason, and the report to save. Only a bad outcome is coloured.
 */
export function JobPanel({ started, onDone }: { started: ImportProgress; onDone(): void }) {
  const { progress: p, report, error, cancelling, cancel } = useImportJob(started)
  if (!p) return null
  const pct = p.bytesTotal > 0 ? Math.min(100, (100 * p.bytesRead) / p.bytesTotal) : 0
  const bad = p.state === 'failed' || p.state === 'aborted'
  return (
    <div className="panel import-job" data-testid="import-job" data-state={p.state}>
      <h2>
        {STATE_WORDS[p.state]} {p.file} into {p.assetId}
      </h2>
      <div
        className="import-bar"
        role="progressbar"
        aria-valuenow={Math.round(pct)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <p className="import-progress" data-testid="import-progress">
        {progressText(p)}
      </p>
      {!finished(p) && (
        <button type="button" onClick={cancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
      {p.message && p.state !== 'done' && <p className={bad ? 'banner banner-warning' : ''}>{p.message}</p>}
      {error && <p className="banner banner-warning">{error}</p>}
      {report && (
        <>
          <p>
            {report.report.rows.toLocaleString()} rows imported, {report.report.rejected.toLocaleString()}{' '}
            rejected
            {report.path && <span className="muted"> · report saved as {report.path}</span>}
          </p>
          <div className="import-actions">
            <button type="button" onClick={() => download(reportFileName(p.file), report.csv)}>
              Export report (CSV)
            </button>
            <button type="button" onClick={onDone}>
              Import another file
            </button>
          </div>
          {report.report.badRows.length > 0 && (
            <div className="import-rows">
              <table className="grid import-bad-rows" data-testid="import-bad-rows">
                <thead>
                  <tr>
                    <th>Line</th>
                    <th>Reason</th>
                    <th>Column</th>
                    <th>Value</th>
                    <th>Message</th>
                  </tr>
                </thead>
                <tbody>
                  {report.report.badRows.slice(0, SHOWN).map((b) => (
                    <tr key={`${b.line}/${b.reason}`}>
                      <td className="num">{b.line}</td>
                      <td>{b.reason}</td>
                      <td>{b.column ?? ''}</td>
                      <td>{b.value ?? ''}</td>
                      <td>{b.message.slice(b.message.indexOf(`:${b.line}: `) + `:${b.line}: `.length)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.report.rejected > SHOWN && (
            <p className="muted">
              Showing {SHOWN} of {report.report.rejected.toLocaleString()} bad rows; the exported report lists
              more.
            </p>
          )}
        </>
      )}
    </div>
  )
}
