import { useCallback, useEffect, useState } from 'react'
import type { ImportProgress, ImportReport } from '../../../shared/import.ts'
import { call, errorText } from '../../api/index.ts'
import { finished } from './wizard-model.ts'

const POLL_MS = 500

export interface JobView {
  progress: ImportProgress | null
  report: { report: ImportReport; csv: string; path?: string } | null
  error: string | null
  cancelling: boolean
  cancel(): void
}

/**
 * Follows one import job: polls import.progress (a job is slow news, twice a second is plenty)
 * until it ends, then fetches its report once.
 */
export function useImportJob(first: ImportProgress | null): JobView {
  const [progress, setProgress] = useState<ImportProgress | null>(first)
  const [report, setReport] = useState<JobView['report']>(null)
  const [error, setError] = useState<string | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const jobId = first?.jobId

  useEffect(() => {
    setProgress(first)
    setReport(null)
    setError(null)
    setCancelling(false)
    if (!jobId) return
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const p = await call('import.progress', { jobId })
        if (!alive) return
        setProgress(p)
        if (finished(p)) {
          const r = await call('import.report', { jobId })
          if (alive) setReport(r)
          return
        }
      } catch (e) {
        if (alive) setError(errorText(e))
      }
      if (alive) timer = setTimeout(poll, POLL_MS)
    }
    timer = setTimeout(poll, POLL_MS)
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [jobId, first])

  const cancel = useCallback(() => {
    if (!jobId) return
    setCancelling(true)
    call('import.cancel', { jobId })
      .then(setProgress)
      .catch((e: unknown) => setError(errorText(e)))
  }, [jobId])

  return { progress, report, error, cancelling, cancel }
}
