/**
 * Chinese (default) wall text. Plain data: another locale is a file with the
 * same shape (`Messages`), registered in ./messages.ts.
 */
import type { ErrorCode } from '@domain/errors.ts'
import type { KpiKey } from '@domain/kpis.ts'

export const zhCN = {
  /** BCP 47 tag; alert texts come from the server in Chinese and are shown as they are only in zh. */
  locale: 'zh-CN' as string,
  appTitle: '城市运行态势',
  connection: { connecting: '连接中…', live: '在线', down: '连接中断' },
  channelKinds: { live: '实时', replay: '回放', sim: '模拟' } as Record<string, string>,
  clock: { paused: '已暂停', speed: '倍速' },
  weekdays: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  periods: { today: '今日', '7d': '近7日', month: '本月', year: '本年' },
  sections: { case: '数字城管', hotline: '12345 热线', grid: '网格管理', map: '态势地图', ticker: '实时事件' },
  panels: {
    trend: '今日受理趋势', categories: '类别分布 TOP8', kinds: '热线诉求类型', ranking: '区域排名 · 三色旗',
    redBlack: '红黑榜', overdue: '超期督办', alertHistory: '告警记录', periods: '周期对比', moreKpis: '专项指标',
  },
  status: {
    loadingRegions: '正在加载区划…', mapUnavailable: '地图无法初始化（WebGL 不可用）', noEvents: '暂无事件',
    noOverdue: '暂无超期事项', noAlerts: '暂无告警', noData: '暂无数据', noRanking: '无下级区划',
  },
  trend: { today: '今日', yesterday: '昨日' },
  ranking: { rank: '排名', name: '区域', score: '得分', flag: '旗帜', red: '红榜', black: '黑榜' },
  flags: { red: '红旗', yellow: '黄旗', black: '黑旗' } as Record<string, string>,
  /** "超期 3小时12分": units right after their numbers, no spaces. */
  duration: { overdue: '超期', day: '天', hour: '小时', minute: '分', sep: '' },
  alertTypes: { overdue: '超期', urgent: '紧急案件', critical: '严重告警', surge: '受理激增', hotspot: '重复投诉' } as Record<string, string>,
  alertStates: { active: '新告警', resolved: '已解除', acknowledged: '已确认' } as Record<string, string>,
  carousel: '轮播',
  alertsActive: '待处置',
  overdueFeeds: { case: '案件', hotline: '工单' } as Record<string, string>,
  feeds: { case: '数字城管', hotline: '12345', grid: '网格' },
  eventTypes: {
    case: {
      reported: '上报', registered: '立案', cancelled: '不予立案', dispatched: '派遣', returned: '回退',
      extended: '延期', disposed: '处置完成', rework: '返工', closed: '结案', urged: '督办',
    },
    hotline: {
      call: '进线', received: '受理', directClosed: '直接办结', dispatched: '派单', returned: '退单',
      extended: '延期', urged: '催办', replied: '答复', reopened: '重办', closed: '办结', rated: '回访', voided: '作废',
    },
    grid: { onDuty: '上岗', offDuty: '下岗', position: '定位', patrol: '巡查', visit: '走访', alert: '告警' },
  } as Record<string, Record<string, string>>,
  hotlineKinds: {
    consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', other: '其他',
  } as Record<string, string>,
  severities: { info: '提示', warning: '预警', critical: '严重' } as Record<string, string>,
  kpis: {
    caseReported: '上报数', caseRegistered: '立案数', caseClosedFlow: '结案数', registerRate: '立案率',
    disposalRate: '处置率', onTimeDisposalRate: '按期处置率', closeRate: '结案率', onTimeCloseRate: '按期结案率',
    reworkRate: '返工率', caseOpen: '在办', caseOverdue: '超期', casePending: '待立案',
    mediationSuccessRate: '调解成功率', hotlineReceived: '受理量', hotlineClosedFlow: '办结数', calls: '进线量',
    answerRate: '接通率', directCloseRate: '直接办结率', hotlineCloseRate: '办结率', onTimeHotlineCloseRate: '按期办结率',
    satisfactionRate: '满意率', solveRate: '解决率', responseRate: '响应率', hotlineOpen: '在办', hotlineOverdue: '超期',
    workersOnDuty: '在岗网格员', patrols: '巡查', visits: '走访', households: '入户', alerts: '告警', alertsCritical: '严重告警', patrolCoverage: '巡查覆盖率',
  } satisfies Record<KpiKey, string>,
  /** Units of counts; rates carry their own "%". */
  kpiUnits: {
    caseReported: '件', caseRegistered: '件', caseClosedFlow: '件', caseOpen: '件', caseOverdue: '件', casePending: '件',
    hotlineReceived: '件', hotlineClosedFlow: '件', hotlineOpen: '件', hotlineOverdue: '件', calls: '通',
    workersOnDuty: '人', patrols: '次', visits: '次', households: '户', alerts: '条', alertsCritical: '条',
  } as Partial<Record<KpiKey, string>>,
  errors: {
    BAD_REQUEST: '请求无效', INVALID_EVENT: '事件无效', UNKNOWN_REGION: '未知区划代码', OUTSIDE_REGIONS: '位置不在辖区内',
    UNAUTHORIZED: '未授权，请检查令牌', FORBIDDEN: '无权访问', FORBIDDEN_REGION: '无权查看该区域',
    TOO_MANY_ATTEMPTS: '尝试次数过多，请稍后再试', PAYLOAD_TOO_LARGE: '请求过大', STORE_UNAVAILABLE: '数据存储暂不可用',
    UNKNOWN_CHANNEL: '未知频道', UNKNOWN_ALERT: '未知告警', INTERNAL: '服务内部错误', TIMEOUT: '订阅超时，正在重试', CONNECT: '无法连接服务器',
  } satisfies Record<ErrorCode | 'TIMEOUT' | 'CONNECT', string>,
}

export type Messages = typeof zhCN
