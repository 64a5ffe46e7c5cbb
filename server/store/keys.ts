/**
 * Every Redis key name is built here. All keys of a channel carry the hash
 * tag {channel}, so a channel lives in one cluster slot; with PARTITION_LEVEL
 * (DESIGN §11) the keys apply.lua writes for the events of a partition carry
 * {channel:partition} instead, so each partition (a city, say) has a slot of
 * its own, and channel-wide keys (meta, alerts, drills) stay under {channel}. The Lua scripts
 * derive per-region keys from `prefix` with the suffixes below, injected into
 * them at load time (lua-header.ts), so a suffix is named in one place.
 */

/** Glob-escape a literal for SCAN MATCH. */
const globLiteral = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&')

/** Every key of the product starts here. */
const G = 'sr:'

/** Suffixes after a channel's prefix: the ones Lua scripts build keys from, and those the channel's key lists name. */
export const KEY_SUFFIX = {
  log: 'log',
  stats: 'stats',
  parked: 'pk',
  refused: 'rf',
  day: 'd:',
  month: 'm:',
  year: 'y:',
  trend: 't:',
  categories: 'k:',
  open: 'o:',
  pending: 'p:',
  onDuty: 'w:',
  patrolled: 'pc:',
  recent: 'rl:',
  recentFrom: 'rl:from',
  ended: 'cx',
  workerGeo: 'geo',
  seen: 'seen:',
  subject: 's:',
  events: 'ev:',
  /** A subject's steps as versions before event lists kept them (read once by the event-list migration). */
  legacyHistory: 'h:',
} as const
const S = KEY_SUFFIX

/** First segment (before ':') of the per-region keys apply.lua writes, plus the channel stats: the aggregates the consistency check compares. */
export const AGGREGATE_HEADS: ReadonlySet<string> = new Set(
  [S.day, S.month, S.year, S.trend, S.categories, S.open, S.pending, S.onDuty, S.patrolled].map((s) => s.slice(0, -1)).concat(S.stats),
)
/**
 * First segment of the channel keys that are no aggregates: the log, idempotency
 * marks, worker positions, each subject's event list (ev:, and h: of older
 * versions), the parked index, the refused list, the ended-subjects index and
 * each region's recent stream ids (rl:, an index into the log for snapshots).
 */
export const NON_AGGREGATE_HEADS: ReadonlySet<string> = new Set([S.log, S.seen.slice(0, -1), S.workerGeo, S.legacyHistory.slice(0, -1), S.events.slice(0, -1), S.parked, S.refused, S.ended, S.recent.slice(0, -1)])
/** First segment of subject hashes. */
export const SUBJECT_HEAD = S.subject.slice(0, -1)

type SubjectFeedName = 'case' | 'hotline' | 'service'

/**
 * A channel's per-region aggregate keys after its prefix: what apply.lua
 * writes (from the same suffixes) and the apply model names its aggregates by.
 */
export const regionKeys = {
  day: (region: string, day: string) => `${S.day}${region}:${day}`,
  month: (region: string, month: string) => `${S.month}${region}:${month}`,
  year: (region: string, year: string) => `${S.year}${region}:${year}`,
  trend: (region: string, day: string) => `${S.trend}${region}:${day}`,
  categories: (region: string, day: string) => `${S.categories}${region}:${day}`,
  open: (feed: SubjectFeedName, region: string) => `${S.open}${feed}:${region}`,
  pending: (region: string) => `${S.pending}${region}`,
  onDuty: (region: string) => `${S.onDuty}${region}`,
  patrolled: (region: string, period: string) => `${S.patrolled}${region}:${period}`,
  /** A subject hash by `<feed>:<subject>`. */
  subject: (feedAndSubject: string) => `${S.subject}${feedAndSubject}`,
}

/**
 * The keys of a channel; with `partition` (a region code at PARTITION_LEVEL) those
 * of that partition: the keys apply.lua and the timers beside it touch (log,
 * subjects, counters…). '' is the root partition, whose prefix is the channel's.
 */
export function keys(channel: string, partition = '') {
  const p = partition ? `${G}{${channel}:${partition}}:` : `${G}{${channel}}:`
  return {
    prefix: p,
    /** SCAN MATCH pattern of every key of the channel. */
    get pattern() { return `${globLiteral(p)}*` },
    log: `${p}${S.log}`,
    stats: `${p}${S.stats}`,
    seen: (id: string) => `${p}${S.seen}${id}`,
    subject: (feed: string, subject: string) => `${p}${S.subject}${feed}:${subject}`,
    /** SCAN MATCH pattern of every subject hash of the channel. */
    get subjectPattern() { return `${globLiteral(p + S.subject)}*` },
    /** The feed and subject a subject hash key names, or null for another key. */
    subjectOf(key: string): { feed: string; subject: string } | null {
      if (!key.startsWith(p + S.subject)) return null
      const rest = key.slice(p.length + S.subject.length)
      const at = rest.indexOf(':')
      return at < 1 ? null : { feed: rest.slice(0, at), subject: rest.slice(at + 1) }
    },
    legacyHistory: (feed: string, subject: string) => `${p}${S.legacyHistory}${feed}:${subject}`,
    /** Per-day counter keys (day hash, trend, categories, patrolled grids): the day a key counts, or null for another key. */
    dayOfCounter(key: string): string | null {
      for (const suffix of [S.day, S.trend, S.categories, S.patrolled]) {
        if (!key.startsWith(p + suffix)) continue
        const day = key.slice(key.lastIndexOf(':') + 1)
        return /^\d{8}$/.test(day) ? day : null
      }
      return null
    },
    /** A subject's own events in event-time order (JSON), each marked when parked; a worker's parked offDuty only. */
    events: (feed: string, subject: string) => `${p}${S.events}${feed}:${subject}`,
    /** Parked events of the channel (JSON {feed, subject, id}) scored by when they were parked, channel time. */
    parked: `${p}${S.parked}`,
    /** Closed and terminal subjects (`<feed>:<subject>`) scored by when they ended, channel time: they expire after CLOSED_TTL_DAYS. */
    ended: `${p}${S.ended}`,
    /** Events refused after the park window, newest last, capped (JSON with the reason). */
    refused: `${p}${S.refused}`,
    day: (region: string, day: string) => p + regionKeys.day(region, day),
    month: (region: string, month: string) => p + regionKeys.month(region, month),
    year: (region: string, year: string) => p + regionKeys.year(region, year),
    trend: (region: string, day: string) => p + regionKeys.trend(region, day),
    categories: (region: string, day: string) => p + regionKeys.categories(region, day),
    open: (feed: SubjectFeedName, region: string) => p + regionKeys.open(feed, region),
    pending: (region: string) => p + regionKeys.pending(region),
    onDuty: (region: string) => p + regionKeys.onDuty(region),
    /** Grids patrolled in a period: key yyyymmdd, yyyymm or yyyy. */
    patrolled: (region: string, period: string) => p + regionKeys.patrolled(region, period),
    /** Newest stream ids (≤ 120) of log entries in a region's subtree, newest first: a quiet region's recent events. */
    recent: (region: string) => `${p}${S.recent}${region}`,
    /** The first log entry the recent lists hold: older entries are found by scanning the log. */
    recentFrom: `${p}${S.recentFrom}`,
    workerGeo: `${p}${S.workerGeo}`,
    alertSeen: (id: string) => `${p}al:seen:${id}`,
    alertsActive: `${p}al:active`,
    alertsById: `${p}al:byid`,
    alertLog: `${p}alog`,
    /** Complaints of one category in one grid, scored by time (repeat hotspots). */
    complaints: (grid: string, category: string) => `${p}hot:${grid}:${category}`,
    /** Held by the one instance that archives and trims the channel's log for a while. */
    archiveLease: `${p}archive:lease`,
    /** With partitions: the partition a subject (`<feed>:<subject>`) lives in (server/ingest/subject-routes.ts). */
    route: (feedAndSubject: string) => `${p}rt:${feedAndSubject}`,
    /** With partitions: steps held for want of their subject's partition (id → JSON), by `<feed>:<subject>` (server/ingest/held-steps.ts). */
    held: (feedAndSubject: string) => `${p}hd:${feedAndSubject}`,
    /** With partitions: subjects with held steps, scored by when the first was held (channel time). */
    heldIndex: `${p}hdx`,
    /** Channel metadata: clock, scanner watermarks. */
    meta: `${p}meta`,
    /** Open311 requests posted here: service_request_id scored by reported time, and their request details. */
    open311ByTime: `${p}o311:t`,
    open311Requests: `${p}o311:r`,
    /** Replay channels: stream of the source events, ids `<virtual ms>-<seq>`, so XRANGE selects by channel time. */
    source: `${p}source`,
    /** Replay channels: lease of the one instance that feeds the source into the channel: holder id, PX. */
    driver: `${p}driver`,
  }
}

/** Global (not per channel) keys. */
export const globalKeys = {
  /** The audit stream: who did what, when (DESIGN §12). */
  audit: `${G}audit`,
  /** Hash of every trainer-made channel: id → created ms. */
  channelRegistry: `${G}channels`,
  /** Pub/sub channel: a message (the channel id) whenever a channel is created, changed or deleted. */
  channelUpdates: `${G}channel-updates`,
}

/**
 * SCAN MATCH pattern of every key of a channel in every partition: `sr:{c}:…`
 * and `sr:{c:P}:…` (a channel id has no ':', so no other channel's key
 * matches). One scan finds them all, whatever PARTITION_LEVEL wrote them.
 */
export function channelPattern(channel: string): string {
  return `${globLiteral(`${G}{${channel}`)}[}:]*`
}

/**
 * The keys of a replay channel that a seek keeps (channel-wide ones, in the root
 * partition); everything else of the channel, in every partition, is derived state and rebuilt.
 */
export function seekKeeps(channel: string): Set<string> {
  const k = keys(channel)
  return new Set([k.source, k.meta, k.driver])
}

const AUTH = `${G}auth:`
// one hash tag for every login counter: the login script and the MULTIs touch several at once, which a Redis Cluster allows in one slot only
const LOGIN = `${AUTH}{login}:`

/** Sessions and display tokens (keyed by a digest of the token, never the token). */
export const authKeys = {
  session: (tokenDigest: string) => `${AUTH}s:${tokenDigest}`,
  /** Hash of display tokens: id → principal, creator and the session key digest. */
  displays: `${AUTH}displays`,
}

/** Login attempt counters, by digests of the username and address. */
export const loginKeys = (user: string, address: string) => ({
  address: `${LOGIN}a:${address}`,
  userAddress: `${LOGIN}ua:${user}:${address}`,
  user: `${LOGIN}u:${user}`,
  next: `${LOGIN}next:${user}`,
})
export type ChannelKeys = ReturnType<typeof keys>

/**
 * Leases of timers that must run on one instance only. Tagged with the
 * channel (same slot) but outside its `sr:{c}:` prefix, so channel scans,
 * seeks and key comparisons never see them; they expire on their own.
 */
export const leaseKeys = {
  /** The overdue scanner (and surge check) of a channel: holder id, PX. */
  scanner: (channel: string) => `${G}lease:{${channel}}:scanner`,
}
