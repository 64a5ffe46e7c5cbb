/**
 * Every Redis key name is built here. All keys of a channel carry the hash
 * tag {channel}, so a channel lives in one cluster slot. apply.lua derives the
 * per-region keys from `prefix` with the same suffixes as below.
 */
export function keys(channel: string) {
  const p = `sr:{${channel}}:`
  return {
    prefix: p,
    log: `${p}log`,
    stats: `${p}stats`,
    seen: (id: string) => `${p}seen:${id}`,
    subject: (feed: string, subject: string) => `${p}s:${feed}:${subject}`,
    /** A subject's own events in event-time order (JSON), each marked when parked; a worker's parked offDuty only. */
    events: (feed: string, subject: string) => `${p}ev:${feed}:${subject}`,
    /** Parked events of the channel (JSON {feed, subject, id}) scored by when they were parked, channel time. */
    parked: `${p}pk`,
    /** Closed and terminal subjects (`<feed>:<subject>`) scored by when they ended, channel time: they expire after CLOSED_TTL_DAYS. */
    ended: `${p}cx`,
    /** Events refused after the park window, newest last, capped (JSON with the reason). */
    refused: `${p}rf`,
    day: (region: string, day: string) => `${p}d:${region}:${day}`,
    month: (region: string, month: string) => `${p}m:${region}:${month}`,
    year: (region: string, year: string) => `${p}y:${region}:${year}`,
    trend: (region: string, day: string) => `${p}t:${region}:${day}`,
    categories: (region: string, day: string) => `${p}k:${region}:${day}`,
    open: (feed: 'case' | 'hotline' | 'service', region: string) => `${p}o:${feed}:${region}`,
    pending: (region: string) => `${p}p:${region}`,
    onDuty: (region: string) => `${p}w:${region}`,
    /** Grids patrolled in a period: key yyyymmdd, yyyymm or yyyy. */
    patrolled: (region: string, period: string) => `${p}pc:${region}:${period}`,
    /** Newest stream ids (≤ 120) of log entries in a region's subtree, newest first: a quiet region's recent events. */
    recent: (region: string) => `${p}rl:${region}`,
    /** The first log entry the recent lists hold: older entries are found by scanning the log. */
    recentFrom: `${p}rl:from`,
    workerGeo: `${p}geo`,
    alertSeen: (id: string) => `${p}al:seen:${id}`,
    alertsActive: `${p}al:active`,
    alertsById: `${p}al:byid`,
    alertLog: `${p}alog`,
    /** Complaints of one category in one grid, scored by time (repeat hotspots). */
    complaints: (grid: string, category: string) => `${p}hot:${grid}:${category}`,
    /** Held by the one instance that archives and trims the channel's log for a while. */
    archiveLease: `${p}archive:lease`,
    /** Channel metadata: clock, scanner watermarks. */
    meta: `${p}meta`,
    /** Open311 requests posted here: service_request_id scored by reported time, and their request details. */
    open311ByTime: `${p}o311:t`,
    open311Requests: `${p}o311:r`,
  }
}

/** Global (not per channel) keys. */
export const globalKeys = {
  /** The audit stream: who did what, when (DESIGN §12). */
  audit: 'sr:audit',
}
export type ChannelKeys = ReturnType<typeof keys>

/**
 * Leases of timers that must run on one instance only. Tagged with the
 * channel (same slot) but outside its `sr:{c}:` prefix, so channel scans,
 * seeks and key comparisons never see them; they expire on their own.
 */
export const leaseKeys = {
  /** The overdue scanner (and surge check) of a channel: holder id, PX. */
  scanner: (channel: string) => `sr:lease:{${channel}}:scanner`,
}
