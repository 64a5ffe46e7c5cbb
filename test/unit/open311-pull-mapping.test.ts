import { describe, expect, it } from 'vitest'
import { eventsOf } from '../../server/open311/pull-mapping.ts'

const m = { jurisdiction: 'city.example', categories: { pothole: 'city.road' } }
const base = { service_request_id: 'A/17', service_code: 'pothole', requested_datetime: '2026-11-20T08:00:00+08:00', lat: 42.9, long: 89.1 }

describe('a remote GeoReport request as our case events', () => {
  it('reports an open one once, with ids derived from the remote id and a mapped category', () => {
    expect(eventsOf({ ...base, status: 'open' }, m)).toEqual([{
      id: 'o311-city.example-A_17-reported', feed: 'case', type: 'reported', subject: 'O311-city.example-A_17',
      at: '2026-11-20T00:00:00.000Z', location: [89.1, 42.9], category: 'city.road', attrs: { source: 'public' },
    }])
  })
  it('adds a closed event at the update time when it is closed', () => {
    const events = eventsOf({ ...base, status: 'closed', updated_datetime: '2026-11-21T10:00:00Z' }, m) as { id: string; at: string }[]
    expect(events.map((e) => e.id)).toEqual(['o311-city.example-A_17-reported', 'o311-city.example-A_17-closed'])
    expect(events[1]!.at).toBe('2026-11-21T10:00:00.000Z')
  })
  it('uses --region without a point, and says why it cannot map otherwise', () => {
    const noPoint = { ...base, lat: undefined, long: undefined }
    expect((eventsOf(noPoint, { ...m, region: '6504' }) as { region: string }[])[0]!.region).toBe('6504')
    expect(eventsOf(noPoint, m)).toMatch(/no lat\/long/)
    expect(eventsOf({ ...base, requested_datetime: 'yesterday' }, m)).toMatch(/requested_datetime/)
    expect(eventsOf({ ...base, service_request_id: undefined }, m)).toBe('no service_request_id')
  })
})
