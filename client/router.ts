import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
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
    { path: '/report/:region?', name: 'report', component: () => import('./pages/ReportPage.vue') },
    // A wall must never land on a blank page because of a mistyped path.
    { path: '/:rest(.*)*', redirect: '/wall' },
  ],
})

// Signed-in pages send a visitor without a session to /login and back. A
// wall's display token in the URL (`?token=`) is its own credential: the
// server checks it, and a wall must never stop at a login form.
router.beforeEach(async (to) => {
  preloadPage(to)
  if (!GUARDED_PATH.test(to.path) || (typeof to.query.token === 'string' && to.query.token)) return warm(to)
  const session = useSessionStore()
  await session.load()
  return (session.mayEnter && warm(to)) || { name: 'login', query: { next: to.fullPath, ...(typeof to.query.lang === 'string' && { lang: to.query.lang }) } }
})

/**
 * Data a page cannot start without, asked for as soon as the page may be
 * entered rather than once its code has arrived and run: the wall and the
 * tablet subscribe only when they know the region tree.
 */
const WARM: Partial<Record<string, () => Promise<unknown>>> = {
  wall: () => import('./stores/regions.ts').then((m) => m.useRegions()),
  tablet: () => import('./stores/regions.ts').then((m) => m.useRegions()),
}
function warm(to: RouteLocationNormalized): true {
  // a failure here is reported by the page, which asks again
  if (typeof to.name === 'string') void WARM[to.name]?.().catch(() => undefined)
  return true
}

/**
 * Start fetching the page's code now, beside the session check, instead of
 * after it: the router resolves lazy pages only once the guards passed.
 * import() of the same chunk twice is one request.
 */
function preloadPage(to: RouteLocationNormalized) {
  for (const record of to.matched) {
    const page = record.components?.default
    // a failure here is reported when the router loads the page itself
    if (typeof page === 'function') void (page as () => Promise<unknown>)().catch(() => undefined)
  }
}
