import type { Messages } from '@client/i18n/zh-CN.ts'
import type { TrainerProblem } from '@client/stores/trainer.ts'

/** What failed and why, in the page's language, with the server's own words for detail. */
export function problemText(p: TrainerProblem, t: Messages): string {
  const e = p.error
  const known = t.errors as Record<string, string>
  const reason = e.status === 409 ? t.trainer.errors.BUSY : (known[e.code] ?? t.trainer.errors[e.code] ?? t.trainer.errors.HTTP)
  const action = t.trainer.actions[p.action] ?? p.action
  return t.locale.startsWith('zh') ? `${action}：${reason}（${e.message}）` : `${action}: ${reason} (${e.message})`
}
