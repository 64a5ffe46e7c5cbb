/** Validate an operator-edited config file, failing with the file, the setting and the reason. */
import type { z } from 'zod'

export function parseConfig<T extends z.ZodType>(schema: T, raw: unknown, file: string): z.infer<T> {
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  const i = r.error.issues[0]!
  throw new Error(`${file}: ${i.path.join('.') || '(top level)'}: ${i.message}`)
}
