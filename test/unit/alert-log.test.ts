// The wall's alert log opens with the alerts the snapshot lists as active (not
// only those raised after the page opened), without the banner taking them
// for news; a resumed snapshot adds what was raised while the wall was away.
import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import type { Alert } from '@domain/alerts.ts'
import type { Snapshot } from '@domain/protocol.ts'
import { missedAlerts, seedAlertLog } from '@client/stores/alert-list.ts'
import { createRegionFeed } from '@client/stores/region-feed.ts'

const alert = (id: string, at: number): Alert => ({ id, type: 'urgent', severity: 'warning', region: '650402', at, text: `紧急案件 ${id}` })

function snapshot(alerts: Alert[], resumed = false): Snapshot {
  return {
    channel: 'live', region: '650402', kpis: { today: {}, '7d': {}, month: {}, year: {} }, events: [], resumed, alerts, workers: [], cursor: '1-0',
    clock: { now: 1_000, speed: 1, paused: false, zone: 'Asia/Shanghai' },
    trend: { today: [], yesterday: [] }, categories: [], hotlineKinds: [], overdue: [], ranking: [],
  } as unknown as Snapshot
}

describe('seedAlertLog', () => {
  it('lists the active alerts newest first, numbered at or below what the reader has seen', () => {
    const log = seedAlertLog([alert('a', 1), alert('c', 3), alert('b', 2)], 7, 100)
    expect(log.map((e) => e.alert.id)).toEqual(['c', 'b', 'a'])
    expect(log.map((e) => e.seq)).toEqual([7, 6, 5])
    expect(log.every((e) => e.state === 'active')).toBe(true)
    expect(seedAlertLog([alert('a', 1), alert('b', 2)], 0, 1).map((e) => e.alert.id)).toEqual(['b'])
  })

  it('finds what a resumed snapshot has that the wall lacks, oldest first', () => {
    expect(missedAlerts([alert('a', 1)], [alert('c', 3), alert('b', 2), alert('a', 1)]).map((a) => a.id)).toEqual(['b', 'c'])
    expect(missedAlerts([alert('a', 1)], [alert('a', 1)])).toEqual([])
  })
})

describe('the region feed\'s alert log', () => {
  it('opens with the snapshot\'s active alerts, then adds pushes above them with higher numbers', () => {
    effectScope().run(() => {
      const feed = createRegionFeed()
      feed.applySnapshot(snapshot([alert('open-2', 20), alert('open-1', 10)]))
      const opened = feed.state.alertLog.value
      expect(opened.map((e) => e.alert.id)).toEqual(['open-2', 'open-1'])
      const seenAtOpen = Math.max(...opened.map((e) => e.seq))
      expect(seenAtOpen).toBeLessThanOrEqual(0) // the banner starts at 0: nothing here is news

      feed.receiveAlert({ state: 'active', alert: alert('new', 30) })
      feed.receiveAlert({ state: 'resolved', alert: alert('open-1', 10) })
      feed.flush()
      const log = feed.state.alertLog.value
      expect(log.map((e) => [e.alert.id, e.state])).toEqual([['open-1', 'resolved'], ['new', 'active'], ['open-2', 'active'], ['open-1', 'active']])
      expect(log[0]!.seq).toBeGreaterThan(log[1]!.seq)
      expect(log[1]!.seq).toBeGreaterThan(seenAtOpen)
      expect(new Set(log.map((e) => e.seq)).size).toBe(log.length)
      expect(feed.state.alerts.value.map((a) => a.id)).toEqual(['new', 'open-2'])
    })
  })

  it('after a reconnect adds only the alerts raised while away, as news', () => {
    effectScope().run(() => {
      const feed = createRegionFeed()
      feed.applySnapshot(snapshot([alert('open-1', 10)]))
      feed.applySnapshot(snapshot([alert('while-away', 40), alert('open-1', 10)], true))
      const log = feed.state.alertLog.value
      expect(log.map((e) => e.alert.id)).toEqual(['while-away', 'open-1'])
      expect(log[0]!.seq).toBeGreaterThan(0)
    })
  })

  it('starts over on another region with that region\'s open alerts', () => {
    effectScope().run(() => {
      const feed = createRegionFeed()
      feed.applySnapshot(snapshot([alert('here', 10)]))
      feed.receiveAlert({ state: 'active', alert: alert('pushed', 11) })
      feed.flush()
      feed.clear()
      feed.applySnapshot(snapshot([alert('there', 5)]))
      expect(feed.state.alertLog.value.map((e) => e.alert.id)).toEqual(['there'])
      expect(feed.state.alertLog.value[0]!.seq).toBeLessThanOrEqual(1) // at or below the last seq handed out
    })
  })
})
