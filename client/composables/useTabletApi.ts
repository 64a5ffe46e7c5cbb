import type { OpenPage, SubjectFeed, SubjectView } from '@domain/api.ts'
import { requestJson } from '@client/api/request-json.ts'

/** The tablet's drill-down reads on one channel. */
export function useTabletApi(channel = 'live') {
  return {
    open(region: string, feed: SubjectFeed | null, limit: number): Promise<OpenPage> {
      const q = new URLSearchParams({ region, channel, limit: String(limit) })
      if (feed) q.set('feed', feed)
      return requestJson<OpenPage>(`/api/v1/open?${q}`)
    },
    subject(feed: SubjectFeed, subject: string): Promise<SubjectView> {
      return requestJson<SubjectView>(`/api/v1/subjects/${feed}/${encodeURIComponent(subject)}?channel=${encodeURIComponent(channel)}`)
    },
  }
}
