/**
 * Who is signed in, as the server says (GET /api/v1/auth/me). The session
 * itself is the http-only `sr_session` cookie: the page never holds a session
 * token, and sockets and fetches carry the cookie on their own (same origin).
 * A wall without a session runs on the display token of its link instead
 * (./display-token.ts); it never asks who is signed in.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { SessionUser } from '@domain/api.ts'
import { ApiError, requestJson } from '@client/api/request-json.ts'

/**
 * unknown: not asked yet · in: signed in · out: not signed in (401) ·
 * unreachable: no answer; pages load and show their own connection state
 * (the server still refuses them anything without a session).
 */
export type SessionState = 'unknown' | 'in' | 'out' | 'unreachable'

export const useSessionStore = defineStore('session', () => {
  const user = shallowRef<SessionUser | null>(null)
  const state = ref<SessionState>('unknown')
  let asking: Promise<void> | null = null

  /** Ask the server once per page load; later calls wait for the same answer. */
  function load(): Promise<void> {
    asking ??= requestJson<SessionUser>('/api/v1/auth/me').then(
      (me) => {
        user.value = me
        state.value = 'in'
      },
      (err: unknown) => {
        user.value = null
        const status = err instanceof ApiError ? err.status : 0
        state.value = status === 0 || status >= 500 ? 'unreachable' : 'out'
      },
    )
    return asking
  }

  /** Sign in; throws ApiError (UNAUTHORIZED, TOO_MANY_ATTEMPTS with retryAfterSec, CONNECT…). */
  async function login(username: string, password: string): Promise<SessionUser> {
    const res = await requestJson<{ user: SessionUser }>('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    })
    user.value = { ...res.user, kind: 'session' }
    state.value = 'in'
    asking = Promise.resolve()
    await refreshRegionTree()
    return user.value
  }

  /**
   * The region tree is per user (their subtree) at one URL that the server
   * lets the browser cache: on a tablet handed from one leader to the next,
   * the next would get the previous one's tree. Fetch it past the cache once
   * at sign-in, which also stores this user's tree for the page to read.
   */
  async function refreshRegionTree() {
    try {
      await (await fetch('/api/v1/regions', { cache: 'reload', credentials: 'same-origin' })).arrayBuffer()
    } catch {
      // not a failed sign-in: the page loads the tree itself, and retries
    }
  }

  /** End the session on the server (the cookie is cleared there); forgets the user even when the server is away. */
  async function logout(): Promise<void> {
    try {
      await requestJson('/api/v1/auth/logout', { method: 'POST' })
    } finally {
      expire()
    }
  }

  /** The server refused our cookie (401 on a read or a socket): the session is over. */
  function expire() {
    user.value = null
    state.value = 'out'
    asking = Promise.resolve()
  }

  /** Whether a signed-in page may open: signed in, or the server cannot be asked right now. */
  const mayEnter = computed(() => state.value === 'in' || state.value === 'unreachable')

  return { user, state, mayEnter, load, login, logout, expire }
})
