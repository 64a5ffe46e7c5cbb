/** Text of the printed 日报 (zh-CN by default, English with ?lang=en); KPI, flag and state names come from the wall's messages. */
const zh = {
  titles: { day: '日报', week: '周报', month: '月报' } as Record<string, string>,
  periods: { day: '日', week: '周', month: '月' } as Record<string, string>,
  periodRange: (from: string, to: string) => (from === to ? from : `${from} 至 ${to}`),
  generated: '生成时间',
  print: '打印 / 导出PDF',
  date: '日期',
  period: '周期',
  loading: '正在生成报告…',
  failed: '报告加载失败',
  sections: {
    kpis: '核心指标', trend: '受理趋势', categories: '类别分布', ranking: '下级区域排名 · 三色旗', redBlack: '红黑榜',
    overdue: '超期事项（当前）', alerts: '本期告警',
  },
  columns: { kpi: '指标', current: '本期', previous: '上期', change: '变化', rank: '排名', name: '区域', score: '得分', flag: '旗帜' },
  groups: { case: '数字城管', hotline: '12345 热线', grid: '网格管理', now: '当前状态（不分周期）' },
  trendSeries: { current: '本期', previous: '上期', caseReported: '案件上报', hotlineReceived: '热线受理', caseClosedFlow: '案件结案', hotlineClosedFlow: '热线办结' },
  lists: { feed: '类型', subject: '编号', category: '类别', region: '区域', state: '状态', deadline: '时限', overdueBy: '超期', time: '时间', severity: '级别', type: '类型', text: '内容' },
  none: '无',
  noChildren: '无下级区域',
  alertsNote: '告警来自告警记录流（保留最近 10000 条）',
  countersExpired: (from: string) => `日统计只保留最近一段时间（DAY_COUNTERS_DAYS）：${from} 之前各日的计数已删除，计为 0；月、年累计不受影响`,
  export: { kpis: '导出指标表 CSV', open: '导出在办事项 CSV', overdue: '导出超期事项 CSV', report: '日报 / 打印' },
  hours: (h: number) => `${h.toFixed(1)}小时`,
  points: '个百分点',
}
export type ReportText = typeof zh

const en: ReportText = {
  titles: { day: 'Daily report', week: 'Weekly report', month: 'Monthly report' },
  periods: { day: 'Day', week: 'Week', month: 'Month' },
  periodRange: (from, to) => (from === to ? from : `${from} to ${to}`),
  generated: 'Generated',
  print: 'Print / Save as PDF',
  date: 'Date',
  period: 'Period',
  loading: 'Preparing the report…',
  failed: 'The report could not be loaded',
  sections: {
    kpis: 'Key figures', trend: 'Intake trend', categories: 'Categories', ranking: 'Ranking of sub-regions · flags', redBlack: 'Best and worst',
    overdue: 'Overdue items (now)', alerts: 'Alerts of the period',
  },
  columns: { kpi: 'Indicator', current: 'This period', previous: 'Previous', change: 'Change', rank: 'Rank', name: 'Region', score: 'Score', flag: 'Flag' },
  groups: { case: 'City management', hotline: '12345 hotline', grid: 'Grid management', now: 'Current state (any period)' },
  trendSeries: { current: 'This period', previous: 'Previous', caseReported: 'Cases reported', hotlineReceived: 'Hotline received', caseClosedFlow: 'Cases closed', hotlineClosedFlow: 'Hotline closed' },
  lists: { feed: 'Feed', subject: 'ID', category: 'Category', region: 'Region', state: 'State', deadline: 'Deadline', overdueBy: 'Overdue', time: 'Time', severity: 'Severity', type: 'Type', text: 'Text' },
  none: 'None',
  noChildren: 'No sub-regions',
  alertsNote: 'Alerts from the alert log (its last 10,000 entries)',
  countersExpired: (from) => `Per-day counters are kept for DAY_COUNTERS_DAYS only: days before ${from} were deleted and read as 0; month and year totals are unaffected`,
  export: { kpis: 'KPI table CSV', open: 'Open items CSV', overdue: 'Overdue items CSV', report: 'Daily report / print' },
  hours: (h) => `${h.toFixed(1)} h`,
  points: ' pts',
}

/** The report's text for `?lang=` (zh-CN unless en). */
export const reportText = (lang: unknown): ReportText => (lang === 'en' ? en : zh)
