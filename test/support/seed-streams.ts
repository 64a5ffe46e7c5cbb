// Event streams built to reproduce the seed figures of DESIGN §6 end to end:
// 处置率 69516/71745, 办结率 3625/3651 with 满意率 98.8 %, 调解成功率 830/855.
// Pure: grids and a time window in, stages of envelopes and the expected counts out.
import type { EventEnvelope } from '../../server/domain/events.ts'
import { iso } from './events-factory.ts'
import { mulberry32 as prng } from '../../server/domain/seeded-random.ts'

/** The §6 seed figures and the rating mix chosen for 满意率: (3350 + 0.9·120) / 3500 = 98.8 %. */
export const SEED = {
  caseRegistered: 71_745,
  caseDisposed: 69_516,
  disputesClosed: 855,
  disputeSuccess: 830,
  hotlineReceived: 3_651,
  hotlineClosed: 3_625,
  hotlineDirectClosed: 1_200,
  rated: { satisfied: 3_350, basic: 120, unsatisfied: 30 },
} as const

// Cases around the registered cohort, so registered ≠ reported and pending/self-closed are exercised.
const EXTRA = { pending: 400, cancelled: 150, selfClosed: 150 }
const DISPUTES_OPEN_DISPOSED = 20 // disposed, not closed: outside the mediation denominator
const DISPUTES_OPEN_UNDISPOSED = 25 // the last registered cases: still dispatched
const REGISTERED_ONLY = 300 // undisposed cases never dispatched
const RERATED = 40 // rated 'unsatisfied' first, then 'satisfied': only the latest rating counts

const CASE_CATEGORIES = [
  'city.sanitation', 'city.facilities', 'city.greenery', 'city.vendors', 'city.construction',
  'city.waterlogging', 'safety.hazard', 'safety.fire', 'env.pollution', 'env.noise',
]
const DISPUTE_CATEGORIES = ['dispute.neighbor', 'dispute.family', 'dispute.land', 'dispute.labor']
const HOTLINE_CATEGORIES = [
  'hl.utilities.water', 'hl.utilities.power', 'hl.utilities.heating', 'hl.utilities.gas', 'hl.urban.housing',
  'hl.urban.roads', 'hl.urban.env', 'hl.people.social', 'hl.people.health', 'hl.people.education',
]
const KINDS = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const

export interface SeedOptions {
  grids: readonly string[] // grid codes the subjects are spread over
  from: number // epoch ms: no event before
  to: number // epoch ms: no event after (keep it ≤ now)
  seed?: number
}

/** Events of one lifecycle step; every subject appears at most once in a stage, stages go in order. */
export interface Stage { name: string; events: EventEnvelope[] }

/** Counts the server must show for the window's period at the root region. */
export interface SeedExpectation {
  caseReported: number; caseRegistered: number; caseDisposed: number; caseClosed: number; caseClosedFlow: number
  caseOpen: number; casePending: number; disputesClosed: number; disputeSuccess: number
  hotlineReceived: number; hotlineClosed: number; hotlineOpen: number; rated: number
  satisfied: number; basic: number; unsatisfied: number
}

export interface SeedStreams { stages: Stage[]; expected: SeedExpectation; total: number }


/** Build the case and hotline streams of the seed figures. */
export function buildSeedStreams(o: SeedOptions): SeedStreams {
  if (o.grids.length === 0 || o.to < o.from) throw new Error('seed streams need grids and a window with from ≤ to')
  const rand = prng(o.seed ?? 20261121)
  const stages = new Map<string, EventEnvelope[]>()
  const push = (stage: string, e: EventEnvelope) => {
    let list = stages.get(stage)
    if (!list) stages.set(stage, (list = []))
    list.push(e)
  }
  // Times of one subject: intake in the first 60 % of the window, each step a random bit later, never past `to`.
  const span = o.to - o.from
  const timeline = () => {
    let t = o.from + Math.floor(span * 0.6 * rand())
    return () => (t += Math.floor((o.to - t) * 0.3 * rand()))
  }
  const grid = (i: number) => o.grids[(i * 7919) % o.grids.length]!

  const caseStep = (subject: string, type: string, at: number, attrs: Record<string, unknown> = {}) =>
    push(`case ${type}`, { id: `seed-${subject}-${type}`, feed: 'case', type, subject, at: iso(at), attrs })
  const caseIntake = (i: number, subject: string, category: string, next: () => number) =>
    push('case reported', {
      id: `seed-${subject}-reported`, feed: 'case', type: 'reported', subject, at: iso(next()),
      region: grid(i), category, attrs: { source: 'grid', priority: 'normal' },
    })

  let closedFlow = 0
  for (let i = 0; i < SEED.caseRegistered; i++) {
    const subject = `SC${String(i).padStart(6, '0')}`
    const undisposed = i >= SEED.caseDisposed
    const dispute = i < SEED.disputesClosed + DISPUTES_OPEN_DISPOSED || i >= SEED.caseRegistered - DISPUTES_OPEN_UNDISPOSED
    const categories = dispute ? DISPUTE_CATEGORIES : CASE_CATEGORIES
    const next = timeline()
    caseIntake(i, subject, categories[i % categories.length]!, next)
    caseStep(subject, 'registered', next())
    if (undisposed && i < SEED.caseDisposed + REGISTERED_ONLY) continue
    caseStep(subject, 'dispatched', next(), { department: `dept-${i % 12}` })
    if (undisposed) continue
    caseStep(subject, 'disposed', next())
    if (i < SEED.disputesClosed) {
      caseStep(subject, 'closed', next(), { outcome: i < SEED.disputeSuccess ? 'success' : 'fail' })
      closedFlow++
    } else if (!dispute && i % 10 === 0) {
      caseStep(subject, 'closed', next())
      closedFlow++
    }
  }
  const extras = EXTRA.pending + EXTRA.cancelled + EXTRA.selfClosed
  for (let j = 0; j < extras; j++) {
    const subject = `SX${String(j).padStart(6, '0')}`
    const next = timeline()
    caseIntake(SEED.caseRegistered + j, subject, CASE_CATEGORIES[j % CASE_CATEGORIES.length]!, next)
    if (j < EXTRA.pending) continue
    caseStep(subject, j < EXTRA.pending + EXTRA.cancelled ? 'cancelled' : 'closed', next()) // closed from REPORTED: 自行处置
    if (j >= EXTRA.pending + EXTRA.cancelled) closedFlow++
  }

  const hl = (subject: string, type: string, at: number, attrs: Record<string, unknown> = {}, n = 1) =>
    push(n === 1 ? `hotline ${type}` : `hotline ${type} #${n}`, {
      id: `seed-${subject}-${type}${n === 1 ? '' : `-${n}`}`, feed: 'hotline', type, subject, at: iso(at), attrs,
    })
  const { satisfied, basic, unsatisfied } = SEED.rated
  const rating = (i: number) => (i < unsatisfied ? 'unsatisfied' : i < unsatisfied + basic ? 'basic' : 'satisfied')
  const open = { received: 8, dispatched: 9 } // and the rest of the 26 open orders replied
  for (let i = 0; i < SEED.hotlineReceived; i++) {
    const subject = `SH${String(i).padStart(6, '0')}`
    const next = timeline()
    push('hotline received', {
      id: `seed-${subject}-received`, feed: 'hotline', type: 'received', subject, at: iso(next()), region: grid(i + 17),
      category: HOTLINE_CATEGORIES[i % HOTLINE_CATEGORIES.length]!, attrs: { kind: KINDS[i % KINDS.length], channel: 'phone' },
    })
    const k = i - SEED.hotlineClosed // index among the open orders, < 0 when closed
    if (i < SEED.hotlineDirectClosed) hl(subject, 'directClosed', next())
    else {
      if (k >= 0 && k < open.received) continue
      hl(subject, 'dispatched', next(), { department: `dept-${i % 12}` })
      if (k >= open.received && k < open.received + open.dispatched) continue
      hl(subject, 'replied', next())
      if (k >= 0) continue
      hl(subject, 'closed', next())
    }
    if (i >= satisfied + basic + unsatisfied) continue
    const rerated = i >= unsatisfied + basic && i < unsatisfied + basic + RERATED
    if (rerated) hl(subject, 'rated', next(), { contacted: true, solved: false, satisfaction: 'unsatisfied' })
    hl(subject, 'rated', next(), { contacted: true, solved: rating(i) !== 'unsatisfied', satisfaction: rating(i) }, rerated ? 2 : 1)
  }

  const order = [
    'case reported', 'case registered', 'case cancelled', 'case dispatched', 'case disposed', 'case closed',
    'hotline received', 'hotline directClosed', 'hotline dispatched', 'hotline replied', 'hotline closed',
    'hotline rated', 'hotline rated #2',
  ]
  const result: Stage[] = order.map((name) => ({ name, events: stages.get(name) ?? [] }))
  const expected: SeedExpectation = {
    caseReported: SEED.caseRegistered + extras,
    caseRegistered: SEED.caseRegistered,
    caseDisposed: SEED.caseDisposed,
    caseClosed: closedFlow - EXTRA.selfClosed, // registered cases closed; 自行处置 is not registered
    caseClosedFlow: closedFlow,
    caseOpen: SEED.caseRegistered - (closedFlow - EXTRA.selfClosed),
    casePending: EXTRA.pending,
    disputesClosed: SEED.disputesClosed,
    disputeSuccess: SEED.disputeSuccess,
    hotlineReceived: SEED.hotlineReceived,
    hotlineClosed: SEED.hotlineClosed,
    hotlineOpen: SEED.hotlineReceived - SEED.hotlineClosed,
    rated: satisfied + basic + unsatisfied,
    satisfied, basic, unsatisfied,
  }
  return { stages: result, expected, total: result.reduce((n, s) => n + s.events.length, 0) }
}
