import { z } from 'zod'
import type { MaintenanceEvent, Severity } from './alarms.ts'

/*
 * The figures the role views need (src/main/kpi/figures.ts computes them; README "Figures
 * for each role" defines each). Periods end at the later of the plant's data clock (the newest
 * sample time the alarms have seen: a simulator at 300x runs ahead) and the wall clock.
 */

const res = <T>() => z.custom<T>(() => true)
const Days = z.number().int().min(1).max(366)

export interface SensorHealth {
  tag: string
  value: number | null
  /** The newest sample's quality: 'good' or the flags' names. */
  quality: string
  /** The newest scored window's state for this sensor; NO_SCORE before any window. */
  state: 'NORMAL' | 'ANOMALOUS' | 'CRITICAL' | 'BAD_DATA' | 'NO_SCORE'
  /** Windows since the engine started in which the model marked this sensor ANOMALOUS, or it was past a critical limit. */
  anomalousWindows: number
  criticalWindows: number
}

export interface EngineerFigures {
  to: number
  assets: {
    assetId: string
    /** Windows scored and ANOMALY windows since the engine started (the running counts). */
    windows: number
    anomalies: number
    sensors: SensorHealth[]
  }[]
  /** Maintenance events opened in the period, newest first. */
  timeline: MaintenanceEvent[]
}

export interface RulFigure {
  /** 'no RUL model' when no RUL model scores the asset; 'no prediction yet' before its first. */
  status: 'ok' | 'no RUL model' | 'no prediction yet'
  modelId?: string
  value?: number
  unit?: string
  spread?: number
  at?: number
}

export interface Recommendation {
  workOrder: string
  assetId: string
  tag: string
  severity: Severity
  openedAt: number
  action: string
  cost: number
  currency: string
}

export interface PlantHeadFigures {
  from: number
  to: number
  assets: {
    assetId: string
    /** 1 - (time with an open CRITICAL event in the period) / period. */
    availability: number
    downtimeMs: number
    rul: RulFigure
  }[]
  /** Model anomaly alarms raised per UTC day and asset (journal 'activate' of model alarms). */
  anomaliesPerDay: { day: string; byAsset: Record<string, number>; total: number }[]
  /** Verdicts given in the period: false / (true + false); null without verdicts. */
  falsePositiveRate: number | null
  verdicts: { truePositive: number; falsePositive: number }
  /** Each open maintenance event, most severe and oldest first. */
  recommendations: Recommendation[]
}

export interface RiskFigure {
  assetId: string
  /** 0..1 and where it comes from, in words. */
  probability: number
  probabilitySource: string
  /** Estimated cost of the open events (the cost model), and probability x cost. */
  cost: number
  risk: number
  openEvents: number
}

export interface ManagementFigures {
  from: number
  to: number
  currency: string
  risk: RiskFigure[]
  totalRisk: number
  /** Events resolved in the period that never reached CRITICAL: what they would have cost at CRITICAL. */
  avoided: { events: number; criticalCost: number; spentOnThem: number; net: number }
  /** Estimated cost of events resolved in the period; and of those still open. */
  spend: { resolved: number; resolvedEvents: number; open: number; openEvents: number }
}

export const kpiChannels = {
  'kpi.engineer': {
    req: z.object({ assetId: z.string().min(1).max(100).optional(), days: Days.optional() }).strict(),
    res: res<EngineerFigures>(),
  },
  'kpi.plantHead': { req: z.object({ days: Days.optional() }).strict(), res: res<PlantHeadFigures>() },
  'kpi.management': { req: z.object({ days: Days.optional() }).strict(), res: res<ManagementFigures>() },
} as const
