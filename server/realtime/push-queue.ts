/**
 * Which regions a pusher reads on a run when more are waiting than its budget
 * allows. Reading a region's KPIs is ~21 Redis commands and a few KPI sums;
 * with a screen on every village and grid, all of them change every second
 * under a busy feed, and reading them all held the server's event loop and
 * Redis for hundreds of ms each second (ingest→socket p99 381 ms for 2,000
 * screens on 925 regions at 1,000 ev/s; 102 ms without the pushes). So a run
 * reads at most `budget` regions: those that have waited longest, weighted by
 * how many sockets watch them (a city wall with 40 screens before a grid
 * tablet). Its score, (runs waited) × (1 + watchers), grows with every run it
 * waits, so none waits for ever: a region watched by w sockets outranks any
 * region that has just begun to wait (score at most 1 + W, for W the most
 * watchers of any region) once it has waited (1 + W) / (1 + w) runs.
 */

/** Regions waiting for a push, each with the run it began to wait on. */
export type Waiting = Map<string, number>

/** Up to `budget` regions to read on run `tick`: all when they fit, else the highest (runs waited) × (1 + watchers). */
export function dueRegions(waiting: Waiting, watchers: ReadonlyMap<string, number>, tick: number, budget: number): string[] {
  if (waiting.size <= budget) return [...waiting.keys()]
  const score = (region: string, since: number) => (tick - since + 1) * (1 + (watchers.get(region) ?? 0))
  return [...waiting]
    .map(([region, since]) => ({ region, score: score(region, since), since }))
    .sort((a, b) => b.score - a.score || a.since - b.since)
    .slice(0, budget)
    .map((r) => r.region)
}
