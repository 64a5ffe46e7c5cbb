import { computed, type ComputedRef } from 'vue'
import { useRoute } from 'vue-router'
import { en } from './en.ts'
import { zhCN, type Messages } from './zh-CN.ts'

/** Registered locales: each a file of type Messages. */
const LOCALES: Record<string, Messages> = { 'zh-CN': zhCN, zh: zhCN, en }
export const DEFAULT_LOCALE = 'zh-CN'

export function messagesFor(lang: unknown): Messages {
  return (typeof lang === 'string' && LOCALES[lang]) || LOCALES[DEFAULT_LOCALE]!
}

/** Wall text for the locale chosen by `?lang=` (default zh-CN). */
export function useMessages(): ComputedRef<Messages> {
  const route = useRoute()
  return computed(() => messagesFor(route.query.lang))
}
