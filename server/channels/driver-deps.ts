/** What a replay driver and the seek rebuild it runs need from the instance: the store, the scripts, ingest with the alert rules. */
import type { IngestDeps } from '../ingest/ingest.ts'
import type { ApplyOptions } from '../store/apply-event.ts'
import type { Store } from '../store/redis-client.ts'
import type { ReplayScripts } from './replay-scripts.ts'

export interface DriverDeps {
  store: Store
  scripts: ReplayScripts
  ingest: IngestDeps // with the alert rules: a drill raises alerts like live
  apply: Omit<ApplyOptions, 'channel'>
  /** Tell every instance the channel's meta changed (a seek was rebuilt). */
  announce: (id: string) => Promise<void>
}
