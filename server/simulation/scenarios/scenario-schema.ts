/**
 * The shape of a scenario file (config/scenarios/*.json): what a trainer
 * copies and edits. Checked with zod; errors read `file: path: reason`
 * with paths like `incidents[2].toHour`.
 */
import { z } from 'zod'
import { HOTLINE_KINDS, SEVERITIES } from '../sim-params.ts'

const comment = z.string().optional()
const regionCode = z.string().regex(/^\d{6,15}$/, 'must be a region code of 6–15 digits (see config/regions)')
const common = {
  $comment: comment,
  name: z.string().min(1, 'must name the incident (shown in progress output)'),
  fromHour: z.number().min(0, 'must be 0 or more (hours after the scenario start)'),
  toHour: z.number().positive('must be after the scenario start (hours)'),
  regions: z.array(regionCode).min(1, 'must list at least one region code'),
  shape: z.enum(['steady', 'peak']).default('steady'),
  multiplier: z.number().min(1, 'must be at least 1 (1 = the baseline; use extraPerHour for a new stream)').optional(),
  extraPerHour: z.number().positive().max(100_000).optional(),
}

const caseIncident = z.strictObject({
  ...common,
  feed: z.literal('case'),
  category: z.string().min(1).optional(),
  urgentShare: z.number().min(0).max(1).optional(),
})

const hotlineIncident = z.strictObject({
  ...common,
  feed: z.literal('hotline'),
  category: z.string().min(1).optional(),
  kind: z.enum(HOTLINE_KINDS).optional(),
  urgentShare: z.number().min(0).max(1).optional(),
})

const gridIncident = z.strictObject({
  ...common,
  feed: z.literal('grid'),
  activity: z.enum(['patrol', 'visit', 'alert', 'shift']),
  /** shift: share of the regions' off-duty workers called in for the window. */
  onDutyShare: z.number().min(0).max(1).optional(),
  title: z.string().min(1).max(60).optional(),
  severity: z.enum(SEVERITIES).optional(),
})

const incident = z.discriminatedUnion('feed', [caseIncident, hotlineIncident, gridIncident], {
  error: 'feed must be "case", "hotline" or "grid"',
})

export const scenarioSchema = z.strictObject({
  $comment: comment,
  title: z.string().min(1),
  description: z.string().min(1),
  durationHours: z.number().positive().max(24 * 14, 'must be at most 336 (two weeks)'),
  /** Time of day a drill starts at by default; hour 0 of the incidents is the midnight before it. */
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day "HH:MM" (00:00–23:59)').default('00:00'),
  /** Days of ordinary traffic before hour 0, so a drill opens on a city with history. */
  warmupDays: z.number().int('must be a whole number of days').min(0).max(7, 'must be at most 7').default(0),
  base: z.strictObject({
    $comment: comment,
    dayType: z.enum(['auto', 'weekday', 'weekend']).default('auto'),
    scale: z.strictObject({ case: z.number().min(0).optional(), hotline: z.number().min(0).optional(), iot: z.number().min(0).optional() }).default({}),
  }),
  incidents: z.array(incident),
}).superRefine((s, issue) => {
  s.incidents.forEach((inc, i) => {
    const at = (field: string, message: string) => issue.addIssue({ code: 'custom', path: ['incidents', i, field], message })
    if (inc.toHour <= inc.fromHour) at('toHour', `must be after fromHour (${inc.fromHour})`)
    if (inc.toHour > s.durationHours) at('toHour', `must be within durationHours (${s.durationHours})`)
    const how = [inc.multiplier, inc.extraPerHour].filter((v) => v !== undefined).length
    if (inc.feed === 'grid' && inc.activity === 'shift') {
      if (inc.onDutyShare === undefined) at('onDutyShare', 'is required for activity "shift" (share of off-duty workers called in)')
      if (how > 0) at('activity', 'a "shift" incident takes onDutyShare, not multiplier or extraPerHour')
    } else if (how !== 1) at('multiplier', 'give exactly one of multiplier (× baseline) or extraPerHour (added intake)')
    else if (inc.feed === 'grid' && inc.extraPerHour !== undefined && inc.activity !== 'alert') {
      at('extraPerHour', `extraPerHour works for activity "alert" (sensor alerts); use multiplier for "${inc.activity}"`)
    }
  })
})

export type ScenarioFile = z.infer<typeof scenarioSchema>
export type Incident = ScenarioFile['incidents'][number]

/** Minutes after midnight of "HH:MM". */
export const minutesOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** `incidents.2.toHour` → `incidents[2].toHour`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') || '(top level)'
}

/** Validate a parsed scenario file; throws `file: path: reason`. */
export function parseScenarioFile(raw: unknown, file: string): ScenarioFile {
  const r = scenarioSchema.safeParse(raw)
  if (r.success) return r.data
  const i = r.error.issues[0]!
  throw new Error(`${file}: ${formatPath(i.path)}: ${i.message}`)
}
