import { useRoute, useRouter } from 'vue-router'
import type { Role } from '@domain/users.ts'
import { useSessionStore } from '@client/stores/session.ts'

/** Where each role starts after signing in. */
const HOME: Record<Role, string> = { leader: '/tablet', operator: '/wall', trainer: '/trainer', admin: '/wall', display: '/wall' }

export const homeOf = (role: Role): string => HOME[role] ?? '/wall'

/** Paths that need a signed-in user (or a wall's `?token=`). */
export const GUARDED_PATH = /^\/(wall|tablet|trainer|report)(\/|$)/

/** The signed-in user, and the ways in and out of a session for pages. */
export function useSession() {
  const store = useSessionStore()
  const router = useRouter()
  const route = useRoute()
  const lang = (): Record<string, string> => (typeof route.query.lang === 'string' ? { lang: route.query.lang } : {})

  /** Sign out, then a fresh page load of /login: no store, socket or cached region tree of this user survives. */
  async function logout() {
    await store.logout().catch(() => undefined)
    const q = new URLSearchParams(lang()).toString()
    window.location.assign(`/login${q ? `?${q}` : ''}`)
  }

  /** The session ended under us (401): sign in again and come back here. */
  function signInAgain() {
    store.expire()
    void router.replace({ name: 'login', query: { next: route.fullPath, reason: 'expired', ...lang() } })
  }

  return { store, logout, signInAgain }
}
