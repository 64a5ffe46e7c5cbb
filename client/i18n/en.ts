/** English wall text (`?lang=en`): the same shape as zh-CN. Region and category names stay as configured. */
import type { Messages } from './zh-CN.ts'

export const en: Messages = {
  locale: 'en',
  appTitle: 'City Operations',
  connection: { connecting: 'Connecting…', live: 'Live', down: 'Disconnected' },
  channelKinds: { live: 'Live', replay: 'Replay', sim: 'Simulation' },
  clock: { paused: 'Paused', speed: 'speed' },
  weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  periods: { today: 'Today', '7d': '7 days', month: 'Month', year: 'Year' },
  sections: { case: 'Urban cases', hotline: '12345 hotline', grid: 'Grid management', map: 'Situation map', ticker: 'Live events' },
  panels: {
    trend: 'Intake today vs yesterday', categories: 'Top 8 categories', kinds: 'Hotline request kinds', ranking: 'Ranking · flags',
    redBlack: 'Red & black lists', overdue: 'Overdue', alertHistory: 'Alert log', periods: 'By period', moreKpis: 'More indicators',
  },
  status: {
    loadingRegions: 'Loading regions…', mapUnavailable: 'Map unavailable (no WebGL)', noEvents: 'No events yet',
    noOverdue: 'Nothing overdue', noAlerts: 'No alerts', noData: 'No data yet', noRanking: 'No sub-regions',
  },
  trend: { today: 'Today', yesterday: 'Yesterday' },
  ranking: { rank: '#', name: 'Region', score: 'Score', flag: 'Flag', red: 'Red list', black: 'Black list' },
  flags: { red: 'Red', yellow: 'Yellow', black: 'Black' },
  duration: { overdue: 'overdue', day: 'd', hour: 'h', minute: 'm', sep: ' ' },
  alertTypes: { overdue: 'Overdue', urgent: 'Urgent case', critical: 'Critical alert', surge: 'Intake surge', hotspot: 'Repeat hotspot' },
  alertStates: { active: 'New', resolved: 'Resolved', acknowledged: 'Acknowledged' },
  carousel: 'Tour',
  alertsActive: 'Active',
  overdueFeeds: { case: 'Case', hotline: 'Order' },
  feeds: { case: 'Case', hotline: '12345', grid: 'Grid' },
  eventTypes: {
    case: {
      reported: 'reported', registered: 'registered', cancelled: 'cancelled', dispatched: 'dispatched', returned: 'returned',
      extended: 'extended', disposed: 'disposed', rework: 'rework', closed: 'closed', urged: 'urged',
    },
    hotline: {
      call: 'call', received: 'received', directClosed: 'closed direct', dispatched: 'dispatched', returned: 'returned',
      extended: 'extended', urged: 'urged', replied: 'replied', reopened: 'reopened', closed: 'closed', rated: 'rated', voided: 'voided',
    },
    grid: { onDuty: 'on duty', offDuty: 'off duty', position: 'position', patrol: 'patrol', visit: 'visit', alert: 'alert' },
  },
  hotlineKinds: {
    consult: 'Consult', help: 'Help', complaint: 'Complaint', report: 'Report', suggestion: 'Suggestion', praise: 'Praise', other: 'Other',
  },
  severities: { info: 'Info', warning: 'Warning', critical: 'Critical' },
  kpis: {
    caseReported: 'Reported', caseRegistered: 'Registered', caseClosedFlow: 'Closed', registerRate: 'Registered %',
    disposalRate: 'Disposed %', onTimeDisposalRate: 'Disposed on time', closeRate: 'Closed %', onTimeCloseRate: 'On-time %',
    reworkRate: 'Rework %', caseOpen: 'Open', caseOverdue: 'Overdue', casePending: 'Pending',
    mediationSuccessRate: 'Mediation success', hotlineReceived: 'Received', hotlineClosedFlow: 'Closed', calls: 'Calls',
    answerRate: 'Answered', directCloseRate: 'Closed direct', hotlineCloseRate: 'Closed %', onTimeHotlineCloseRate: 'On-time closed',
    satisfactionRate: 'Satisfied', solveRate: 'Solved', responseRate: 'Reached', hotlineOpen: 'Open', hotlineOverdue: 'Overdue',
    workersOnDuty: 'On duty', patrols: 'Patrols', visits: 'Visits', households: 'Households', alerts: 'Alerts', alertsCritical: 'Critical', patrolCoverage: 'Patrol coverage',
  },
  kpiUnits: {},
  errors: {
    BAD_REQUEST: 'Bad request', INVALID_EVENT: 'Invalid event', UNKNOWN_REGION: 'Unknown region code', OUTSIDE_REGIONS: 'Location outside the regions',
    UNAUTHORIZED: 'Not authorised: check the token', FORBIDDEN: 'Forbidden', FORBIDDEN_REGION: 'Not allowed to view this region',
    TOO_MANY_ATTEMPTS: 'Too many attempts, try again later', PAYLOAD_TOO_LARGE: 'Request too large', STORE_UNAVAILABLE: 'Data store unavailable',
    UNKNOWN_CHANNEL: 'Unknown channel', UNKNOWN_ALERT: 'Unknown alert', INTERNAL: 'Internal server error', TIMEOUT: 'Subscribe timed out, retrying', CONNECT: 'Cannot reach the server',
  },
}
