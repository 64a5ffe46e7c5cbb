import { onBeforeUnmount, watch, type ShallowRef } from 'vue'
import { exposeWallMapHooks, type WallMapHandle } from '@client/map/debug-hooks.ts'

/**
 * Publish the page's map hooks as `window.__wallMap` once the map is drawn, and
 * take them back when it goes: for e2e tests and an engineer at a wall's
 * console (tiny, so present in production builds too). The map component
 * itself knows nothing of `window`.
 */
export function useWallMapHooks(map: Readonly<ShallowRef<WallMapHandle | null>>) {
  let unexpose = () => {}
  watch(() => (map.value?.ready ? map.value.hooks : null), (hooks) => {
    unexpose()
    unexpose = hooks ? exposeWallMapHooks(hooks) : () => {}
  })
  onBeforeUnmount(() => unexpose())
}
