import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', name: 'wall', component: () => import('./pages/WallPage.vue') },
    // A wall must never land on a blank page because of a mistyped path.
    { path: '/:rest(.*)*', redirect: '/wall' },
  ],
})
