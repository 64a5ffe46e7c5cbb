import { createRouter, createWebHistory } from 'vue-router'
import { GUARDED_PATH } from './composables/useSession.ts'
import { useSessionStore } from './stores/session.ts'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', name: 'wall', component: () => import('./pages/WallPage.vue') },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue') },
    { path: '/tablet/:region?', name: 'tablet', component: () => import('./pages/TabletPage.vue') },
    { path: '/trainer', name: 'trainer', component: () => import('./pages/TrainerPage.vue') },
    // A wall must never land on a blank page because of a mistyped path.
    { path: '/:rest(.*)*', redirect: '/wall' },
  ],
})

// Signed-in pages send a visitor without a session to /login and back. A
// wall's display token in the URL (`?token=`) is its own credential: the
// server checks it, and a wall must never stop at a login form.
router.beforeEach(async (to) => {
  if (!GUARDED_PATH.test(to.path) || (typeof to.query.token === 'string' && to.query.token)) return true
  const session = useSessionStore()
  await session.load()
  return session.mayEnter || { name: 'login', query: { next: to.fullPath, ...(typeof to.query.lang === 'string' && { lang: to.query.lang }) } }
})
