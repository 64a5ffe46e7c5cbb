/** Thresholds of the alert rules, from config/alerts.json, validated at start. */
import { z } from 'zod'
import { parseConfig } from '../domain/parse-config.ts'

export const alertConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  surge: z.strictObject({ factor: z.number().min(1), minCount: z.number().int().min(1), everySec: z.number().min(1) }),
  hotspot: z.strictObject({
    count: z.number().int().min(2),
    windowHours: z.number().positive(),
    kinds: z.array(z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other'])).min(1),
  }),
  /** Events older than this (channel time) raise no urgent, critical or hotspot alert: late history is not news. */
  intake: z.strictObject({ maxAgeHours: z.number().positive() }).optional(),
  /** A critical IoT/video alert with no clearing event ends after this much quiet (channel time). */
  critical: z.strictObject({ quietMinutes: z.number().positive() }).optional(),
})
export type AlertConfig = z.infer<typeof alertConfigSchema>

/** How old an event may be and still raise an intake alert, when the config says nothing. */
export const DEFAULT_INTAKE_MAX_AGE_HOURS = 6
/** How long a critical alert stays without a clearing event, when the config says nothing. */
export const DEFAULT_CRITICAL_QUIET_MINUTES = 60

export const parseAlertConfig = (raw: unknown, file = 'config/alerts.json'): AlertConfig => parseConfig(alertConfigSchema, raw, file)
