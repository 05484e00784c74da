import type { SourceState } from '../../../shared/samples.ts'
import type { SourceOutput } from '../source.ts'
import type { RowAssembler } from './row-assembler.ts'

/** The same problem (topic and field) is reported again after this long at the soonest. */
const REPEAT_PROBLEM_MS = 10_000

/**
 * A network source's health as status data: running, stale (link down, node dead, silent,
 * data lost) or failed (the broker refused us), with the reason, the last bad message,
 * samples per second and the newest sample's time. Every interruption also tells the row
 * assembler to look for a gap in the next rows.
 */
export class SourceHealth {
  state: SourceState = 'starting'
  problems = 0
  private detail: string | undefined
  private lastProblem: string | undefined
  private readonly reported = new Map<string, number>()
  private count = 0
  private rate = 0
  private countSince: number
  private lastSampleAt: number | undefined
  private lastArrival = 0
  private linkUp = false
  private readonly out: SourceOutput
  private readonly rows: RowAssembler
  private readonly staleAfterMs: number

  constructor(out: SourceOutput, rows: RowAssembler, staleAfterMs: number) {
    this.out = out
    this.rows = rows
    this.staleAfterMs = staleAfterMs
    this.countSince = Date.now()
    this.emit()
  }

  up(where: string): void {
    this.linkUp = true
    this.lastArrival = Date.now()
    this.detail = `connected to ${where}; waiting for data`
    this.emit()
  }

  down(error: string | null, retryInMs: number, refused: boolean): void {
    this.linkUp = false
    this.set(
      refused ? 'failed' : 'stale',
      `${error ?? 'connection to the broker lost'}; retrying in ${(retryInMs / 1000).toFixed(1)} s`,
    )
  }

  interrupted(reason: string, dead: boolean): void {
    if (dead) this.rows.invalidate()
    this.set('stale', reason)
  }

  samples(n: number, lastT: number): void {
    this.count += n
    this.lastSampleAt = lastT
    this.lastArrival = Date.now()
    if (this.state !== 'running') {
      this.detail = undefined
      this.state = 'running'
      this.emit()
    }
  }

  /** A bad message: reported with its topic and field, and the source keeps going. */
  problem(key: string, message: string): void {
    this.problems++
    this.lastProblem = message
    const now = Date.now()
    if (now - (this.reported.get(key) ?? -Infinity) < REPEAT_PROBLEM_MS) return
    this.reported.set(key, now)
    this.emit(message)
  }

  /** Periodic: refreshes samples/s and turns a silent running source stale. */
  tick(): void {
    const now = Date.now()
    if (now > this.countSince) this.rate = (this.count * 1000) / (now - this.countSince)
    this.count = 0
    this.countSince = now
    if (this.state === 'running' && this.linkUp && now - this.lastArrival > this.staleAfterMs)
      return this.set('stale', `no data for ${Math.round(this.staleAfterMs / 1000)} s`)
    this.emit()
  }

  stopped(): void {
    this.set('stopped', undefined)
  }

  private set(state: SourceState, detail: string | undefined): void {
    if (state !== 'running') this.rows.interrupt()
    this.state = state
    this.detail = detail
    this.emit()
  }

  private emit(message?: string): void {
    const bad = this.problems ? ` (${this.problems} bad message${this.problems > 1 ? 's' : ''} so far)` : ''
    this.out.status({
      state: this.state,
      message:
        message ?? this.detail ?? (this.lastProblem ? `last problem: ${this.lastProblem}${bad}` : undefined),
      samplesPerS: this.rate,
      lastSampleAt: this.lastSampleAt,
    })
  }
}
