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
  tokenRefused: { title: '令牌无效或已吊销', hint: '此大屏的显示令牌未被服务器接受。请向管理员索取新的大屏链接。' },
  channelKinds: { live: '实时', replay: '回放', sim: '模拟' } as Record<string, string>,
  clock: { paused: '已暂停', speed: '倍速' },
  weekdays: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  periods: { today: '今日', '7d': '近7日', month: '本月', year: '本年' },
  sections: { case: '数字城管', hotline: '12345 热线', grid: '网格管理', map: '态势地图', ticker: '实时事件', service: '便民代办' },
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
  /** The wall's 便民代办 panel: short labels under its figures (the period goes before them). */
  servicePanel: { serviceAccepted: '受理', onTimeServiceCompleteRate: '按期率', serviceOpen: '在办', serviceOverdue: '超期' } as Record<string, string>,
  carousel: '轮播',
  alertsActive: '待处置',
  overdueFeeds: { case: '案件', hotline: '工单', service: '代办' } as Record<string, string>,
  feeds: { case: '数字城管', hotline: '12345', grid: '网格', service: '代办' },
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
    service: {
      accepted: '受理', forwarded: '转办', returnedForDocs: '补正', resumed: '补齐续办', completed: '办结',
      delivered: '送达', rated: '回访', withdrawn: '撤回',
    },
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
    serviceAccepted: '代办受理量', serviceAcceptedLocal: '本镇办理', serviceAcceptedOutside: '外出代办', serviceCompleteRate: '代办办结率',
    onTimeServiceCompleteRate: '按期办结率', onTimeServiceCompleteRateLocal: '本镇按期率', onTimeServiceCompleteRateOutside: '外出按期率',
    serviceOpen: '代办在办', serviceOverdue: '代办超期', serviceAvgHours: '平均办理时长', serviceSatisfactionRate: '代办满意率',
    agentVisits: '巡回服务', agentVisitRate: '巡回服务完成率',
  } satisfies Record<KpiKey, string>,
  /** Units of counts; rates carry their own "%". */
  kpiUnits: {
    caseReported: '件', caseRegistered: '件', caseClosedFlow: '件', caseOpen: '件', caseOverdue: '件', casePending: '件',
    hotlineReceived: '件', hotlineClosedFlow: '件', hotlineOpen: '件', hotlineOverdue: '件', calls: '通',
    workersOnDuty: '人', patrols: '次', visits: '次', households: '户', alerts: '条', alertsCritical: '条',
    serviceAccepted: '件', serviceAcceptedLocal: '件', serviceAcceptedOutside: '件', serviceOpen: '件', serviceOverdue: '件',
    serviceAvgHours: '小时', agentVisits: '次',
  } as Partial<Record<KpiKey, string>>,
  errors: {
    BAD_REQUEST: '请求无效', INVALID_EVENT: '事件无效', UNKNOWN_REGION: '未知区划代码', OUTSIDE_REGIONS: '位置不在辖区内',
    UNAUTHORIZED: '未授权，请检查令牌', FORBIDDEN: '无权访问', FORBIDDEN_REGION: '无权查看该区域',
    TOO_MANY_ATTEMPTS: '尝试次数过多，请稍后再试', PAYLOAD_TOO_LARGE: '请求过大', STORE_UNAVAILABLE: '数据存储暂不可用',
    UNKNOWN_CHANNEL: '未知频道', UNKNOWN_ALERT: '未知告警', UNKNOWN_SUBJECT: '未找到该事项',
    CROSS_ORIGIN: '跨站请求已拒绝', UNSUPPORTED_MEDIA_TYPE: '不支持的编码或字符集',
    SUPERSEDED: '已被新的订阅取代', RATE_LIMITED: '订阅过于频繁，请稍后再试', OVERLOADED: '服务繁忙，请稍后重试', TOO_MANY_CONNECTIONS: '连接数已达上限，请稍后重试', INTERNAL: '服务内部错误', TIMEOUT: '订阅超时，正在重试', CONNECT: '无法连接服务器',
  } satisfies Record<ErrorCode | 'TIMEOUT' | 'CONNECT', string>,
  login: {
    title: '城市运行态势', subtitle: '账号登录', username: '用户名', password: '密码',
    show: '显示', hide: '隐藏', submit: '登录', submitting: '正在登录…',
    missing: '请输入用户名和密码', wrong: '用户名或密码错误',
    tooMany: (minutes: number) => `尝试次数过多，请 ${minutes} 分钟后再试`,
    expired: '登录已失效，请重新登录', unreachable: '无法连接服务器，请检查网络', failed: '登录失败，请稍后再试',
  },
  tablet: {
    back: '返回', logout: '退出', breadcrumb: '区域层级', levels: { city: '市', district: '区县', township: '乡镇', village: '村/社区', grid: '网格' } as Record<string, string>,
    kpis: '核心指标', children: '下级区域', noChildren: '网格是最小管理单元，无下级区域', swipeHint: '右滑返回上一级',
    open: '在办事项', overdueCount: (n: number) => `超期 ${n}`, noOpen: '暂无在办事项', loading: '加载中…', retry: '重试',
    feedFilter: { all: '全部', case: '案件', hotline: '工单', service: '代办' } as Record<string, string>,
    more: (shown: number, total: number) => `显示更多（${shown} / ${total}）`,
    dueIn: '剩余', deadline: '时限', noDeadline: '无时限',
    // 补正 of an item whose clock stops: the deadline moves later by the time the resident takes
    pausedState: '补正中（停表）', clockStopped: '停表', deadlineMoves: '顺延中',
    history: '办理过程', notApplied: '未生效', close: '关闭', place: '区域', category: '类别', state: '状态',
    states: {
      REPORTED: '待立案', REGISTERED: '已立案', DISPATCHED: '处置中', DISPOSED: '已处置', CLOSED: '已办结', CANCELLED: '已作废',
      RECEIVED: '已受理', REPLIED: '已答复', VOID: '已作废',
      ACCEPTED: '已受理', FORWARDED: '已转办', WAITING: '待补正', COMPLETED: '已办结', DELIVERED: '已送达', WITHDRAWN: '已撤回',
    } as Record<string, string>,
    scopes: { local: '本镇', outside: '外出' } as Record<string, string>,
    workers: '在岗网格员', workersUnit: '人', lastSeen: '最近定位', noWorkers: '暂无在岗网格员', moreWorkers: (n: number) => `另有 ${n} 人`,
    denied: (code: string, home: string) => `无权查看区域 ${code}，已返回 ${home}`,
    unknownHome: '您的账号未绑定可查看的区域，请联系管理员',
  },
  /** The banner of a wall on a drill (replay or simulation) channel. */
  drill: { label: '演练', paused: '已暂停', virtualTime: '虚拟时间' },
  /** /trainer: start and control drills. */
  trainer: {
    title: '演练控制台',
    subtitle: '在独立频道中模拟情景或回放录制，把大屏指向演练频道即可观看，不影响实时数据',
    liveWall: '实时大屏',
    newDrill: '新建演练',
    sources: { scenario: '情景模拟', recording: '录制回放' },
    hours: '小时',
    loadingScenarios: '正在加载情景…',
    noScenarios: '没有可用的情景（config/scenarios 为空）',
    seed: '随机种子',
    start: '起始时间（北京时间）',
    startHint: '留空：场景默认的开始时刻（今天）；录制数据从第一条事件开始',
    speed: '倍速',
    customSpeed: '自定义倍速',
    file: '录制文件（NDJSON，每行一个事件）',
    reading: '正在读取文件…',
    begin: '开始演练',
    creating: '正在创建演练…',
    invalid: {
      scenario: '请选择一个情景', file: '请选择录制文件', speed: '倍速须在 0.5 至 1000 之间',
      seed: '随机种子须为整数', start: '起始时间无效',
    },
    sessions: '演练会话',
    noSessions: '暂无演练，请在左侧新建',
    columns: { channel: '频道', source: '来源', time: '虚拟时间', speed: '倍速', progress: '进度', state: '状态' },
    states: { running: '运行中', paused: '已暂停', seeking: '定位中', ended: '已播完' },
    recordingSource: '录制回放',
    seedOf: '种子',
    channel: '频道',
    fed: '已推送事件',
    pause: '暂停',
    resume: '继续',
    applySpeed: '应用倍速',
    seek: '定位',
    seekHint: '拖动滑块选择时间，松开后跳转',
    seeking: '正在定位，频道重建中…',
    wallLink: '大屏链接',
    wallLinkMaking: '正在生成带显示令牌的大屏链接…',
    copy: '复制大屏链接',
    copied: '已复制到剪贴板',
    copyManually: '浏览器未允许写入剪贴板，请手动复制下面的链接',
    openWall: '打开大屏',
    remove: '删除演练',
    confirmRemove: '确认删除？该演练频道的全部数据将被清除，正在观看的大屏会断开。',
    confirm: '确认删除',
    cancel: '取消',
    dismiss: '关闭',
    inject: {
      title: '注入事件', feed: '业务', type: '类型', category: '类别', township: '乡镇 / 街道', village: '村 / 社区',
      wholeTownship: '（整个乡镇）', priority: '紧急程度', kind: '诉求类型', severity: '告警级别', submit: '注入',
      done: '已注入，事件时间', duplicate: '重复事件，未重复计入', rejected: '未被接受：', pickRegion: '请选择区域', pickCategory: '请选择类别',
    },
    priorities: { normal: '一般', urgent: '紧急' } as Record<string, string>,
    /** What failed, before the reason. */
    actions: {
      load: '加载演练列表失败', create: '创建演练失败', pause: '暂停/继续失败', speed: '调整倍速失败',
      seek: '定位失败', inject: '注入事件失败', delete: '删除演练失败', link: '生成大屏令牌失败',
    } as Record<string, string>,
    /** Errors the server has no code for; BUSY is a 409, a channel being rebuilt after a seek. */
    errors: {
      NOT_FOUND: '接口或频道不存在', HTTP: '请求失败', BUSY: '频道正在定位重建，请稍后再试',
    } as Record<string, string>,
  },
}

export type Messages = typeof zhCN
