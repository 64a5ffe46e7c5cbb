/** Thresholds of the alert rules, from config/alerts.json, validated at start. */
import { z } from 'zod'

export const alertConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  surge: z.strictObject({ factor: z.number().min(1), minCount: z.number().int().min(1), everySec: z.number().min(1) }),
  hotspot: z.strictObject({
    count: z.number().int().min(2),
    windowHours: z.number().positive(),
    kinds: z.array(z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other'])).min(1),
  }),
})
export type AlertConfig = z.infer<typeof alertConfigSchema>

export function parseAlertConfig(raw: unknown, file = 'config/alerts.json'): AlertConfig {
  const r = alertConfigSchema.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]!
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`)
  }
  return r.data
}
