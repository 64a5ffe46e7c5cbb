// The snapshot queue: reads of one key shared, at most `concurrency` building,
// a bounded wait, and a waiter that leaves before its read starts costs nothing.
import { describe, expect, it } from 'vitest'
import { SnapshotQueue } from '../../server/store/snapshot-queue.ts'

/** A read that finishes when the test says so, counting how often it was started. */
function gate() {
  let started = 0
  const opens: (() => void)[] = []
  const read = (value: string) => () => {
    started++
    return new Promise<string>((resolve) => opens.push(() => resolve(value)))
  }
  return { read, started: () => started, openAll: () => opens.splice(0).forEach((o) => o()) }
}
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('SnapshotQueue', () => {
  it('shares one read among callers of the same key, waiting or running', async () => {
    const q = new SnapshotQueue<string>({ concurrency: 2, maxWaiting: 10 })
    const g = gate()
    const first = q.run('live|650400', g.read('a'))
    await tick() // now running
    const joined = q.run('live|650400', g.read('b'), { joinRunning: true })
    const other = q.run('live|650402', g.read('c'))
    await tick()
    expect(g.started()).toBe(2)
    g.openAll()
    expect(await Promise.all([first, joined, other])).toEqual(['a', 'a', 'c'])
  })

  it('does not share a running read unless asked, but shares one still waiting', async () => {
    const q = new SnapshotQueue<string>({ concurrency: 1, maxWaiting: 10 })
    const g = gate()
    const running = q.run('k', g.read('old'))
    await tick()
    const fresh1 = q.run('k', g.read('new'))
    const fresh2 = q.run('k', g.read('newer')) // joins the waiting 'new'
    await tick()
    expect(q.load).toEqual({ building: 1, waiting: 1 })
    g.openAll()
    await running
    await tick()
    g.openAll()
    expect(await Promise.all([running, fresh1, fresh2])).toEqual(['old', 'new', 'new'])
    expect(g.started()).toBe(2)
  })

  it('builds at most `concurrency` at once and refuses past the waiting bound with OVERLOADED', async () => {
    const q = new SnapshotQueue<string>({ concurrency: 2, maxWaiting: 3 })
    const g = gate()
    const accepted = [1, 2, 3, 4, 5].map((i) => q.run(`r${i}`, g.read(`v${i}`)))
    await tick()
    expect(q.load).toEqual({ building: 2, waiting: 3 })
    await expect(q.run('r6', g.read('v6'))).rejects.toMatchObject({ code: 'OVERLOADED' })
    while (g.started() < 5 || q.load.building > 0) {
      g.openAll()
      await tick()
    }
    expect(await Promise.all(accepted)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5'])
  })

  it('never starts a read whose every waiter left before its turn', async () => {
    const q = new SnapshotQueue<string>({ concurrency: 1, maxWaiting: 10 })
    const g = gate()
    const busy = q.run('a', g.read('a'))
    const ctl = new AbortController()
    const left = q.run('b', g.read('b'), { signal: ctl.signal })
    ctl.abort(new Error('superseded'))
    await expect(left).rejects.toThrow('superseded')
    const after = q.run('c', g.read('c'))
    await tick()
    g.openAll()
    await busy
    await tick()
    g.openAll()
    expect(await after).toBe('c')
    expect(g.started()).toBe(2) // a and c; b never read
  })
})
