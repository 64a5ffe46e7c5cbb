import { computed, type ComputedRef } from 'vue'
import { useRoute } from 'vue-router'
import { zhCN, type Messages } from './zh-CN.ts'

/** Registered locales; `?lang=en` starts working once an `en.ts` of type Messages is added here. */
const LOCALES: Record<string, Messages> = { 'zh-CN': zhCN }
export const DEFAULT_LOCALE = 'zh-CN'

export function messagesFor(lang: unknown): Messages {
  return (typeof lang === 'string' && LOCALES[lang]) || LOCALES[DEFAULT_LOCALE]!
}

/** Wall text for the locale chosen by `?lang=` (default zh-CN). */
export function useMessages(): ComputedRef<Messages> {
  const route = useRoute()
  return computed(() => messagesFor(route.query.lang))
}
