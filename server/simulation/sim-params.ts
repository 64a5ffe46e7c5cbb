/**
 * config/simulation.json: volumes per resident, the hourly profile, kind and
 * category mixes, lifecycle timing, grid shifts and the realism bounds,
 * validated with zod so a typo names the file, the setting and the reason.
 */
import { z } from 'zod'
import { parseConfig } from '../domain/parse-config.ts'

const share = z.number().min(0).max(1)
const weights = <K extends string>(keys: z.ZodType<K>) =>
  z.partialRecord(keys, z.number().nonnegative()).refine((w) => Object.values(w).some((v) => (v as number) > 0), 'needs at least one weight above 0')
const bounds = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, 'must be [min, max] with min ≤ max')
const hours = z.tuple([z.number().min(0).max(24), z.number().min(0).max(24)]).refine(([lo, hi]) => lo <= hi, 'must be [from, to] with from ≤ to')
const comment = z.string().optional()

export const HOTLINE_KINDS = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other'] as const
export type HotlineKind = (typeof HOTLINE_KINDS)[number]
const kind = z.enum(HOTLINE_KINDS)
export const GRID_ACTIVITIES = ['position', 'patrol', 'visit', 'alert'] as const
export type GridActivity = (typeof GRID_ACTIVITIES)[number]
export const SEVERITIES = ['info', 'warning', 'critical'] as const

export const simParamsSchema = z.strictObject({
  $comment: comment,
  profile: z.strictObject({
    $comment: comment,
    hourly: z.array(z.number().nonnegative()).length(24, 'must list 24 hourly weights (0:00 to 23:00)')
      .refine((h) => h.some((v) => v > 0), 'needs at least one hour above 0'),
    weekendFactor: z.number().min(0).max(2),
  }),
  hotline: z.strictObject({
    $comment: comment,
    ordersPer10kPerDay: z.number().nonnegative().max(1000),
    onlineShare: share,
    answerRate: share,
    callToOrder: z.number().gt(0).max(1),
    urgentShare: share,
    kinds: weights(kind),
    categories: weights(z.string()),
    directClose: z.partialRecord(kind, share),
    dispatchMeanMin: z.number().positive(),
    onTimeShare: share,
    handlingSkew: z.number().min(1).max(10).default(1),
    ratedShare: share,
    satisfaction: weights(z.enum(['satisfied', 'basic', 'unsatisfied'])),
  }),
  case: z.strictObject({
    $comment: comment,
    per10kPerDay: z.number().nonnegative().max(1000),
    urgentShare: share,
    categories: weights(z.string()),
    registerMeanMin: z.number().positive(),
    dispatchMeanMin: z.number().positive(),
    onTimeShare: share,
    handlingSkew: z.number().min(1).max(10).default(1),
  }),
  grid: z.strictObject({
    $comment: comment,
    workerGridShare: share,
    onDutyShare: z.strictObject({ weekday: share, weekend: share }),
    shiftStartHours: hours,
    /** Share of the day's shifts worked in the evening instead (夜间巡查), starting 9 hours later. */
    eveningShare: share.default(0),
    shiftHours: z.tuple([z.number().positive().max(24), z.number().positive().max(24)]).refine(([lo, hi]) => lo <= hi, 'must be [min, max] with min ≤ max'),
    activityEveryMin: z.number().min(1).max(240),
    activities: weights(z.enum(GRID_ACTIVITIES)),
    iotAlertsPer10kPerDay: z.number().nonnegative().max(1000),
    severity: weights(z.enum(SEVERITIES)),
  }),
  service: z.strictObject({
    $comment: comment,
    errandsPer10kPerWeek: z.number().nonnegative().max(1000),
    outsideShare: share,
    items: weights(z.string()),
    forwardMeanHours: z.number().positive(),
    returnedShare: share,
    withdrawnShare: share,
    onTimeShare: share,
    handlingSkew: z.number().min(1).max(10).default(1),
    deliveredShare: share,
    ratedShare: share,
    satisfaction: weights(z.enum(['satisfied', 'basic', 'unsatisfied'])),
    agentVisitsPerVillagePerWeek: z.number().nonnegative().max(100),
  }).optional(),
  standing: z.strictObject({
    $comment: comment,
    spread: z.number().min(0).max(1),
    districtShare: share,
  }).optional(),
  checks: z.strictObject({
    $comment: comment,
    peakHoursShare: bounds,
    nightShare: bounds,
    consultShare: bounds,
    kindShareTolerance: z.number().positive(),
    hotlinePer10kPerDay: bounds,
    hotlinePer10kPerDayMedian: bounds,
    gridEventsPer10kPerDay: bounds,
    dispatchMedianMin: bounds,
    closeMedianHours: bounds,
    overdueShare: bounds,
    satisfiedShare: bounds,
    weekdayWeekendRatio: bounds,
  }),
})

export type SimParams = z.infer<typeof simParamsSchema>

/** Validate the content of config/simulation.json; throws `file: path: reason`. */
export function parseSimParams(raw: unknown, file = 'config/simulation.json'): SimParams {
  return parseConfig(simParamsSchema, raw, file)
}

/** Weighted entries of a record, in file order, for Rng.weighted / WeightedTable. */
export function entriesOf<K extends string>(w: Partial<Record<K, number>>): [K, number][] {
  return (Object.entries(w) as [K, number][]).filter(([, v]) => v > 0)
}
