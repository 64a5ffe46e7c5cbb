/**
 * The few map words the shared messages lack (everything else comes from
 * useMessages: feeds, KPI and period names). To move into i18n/zh-CN.ts and
 * en.ts as `map` when their owner picks them up.
 */
const TEXT = {
  zh: { heat: '事件热力', heatLow: '稀', heatHigh: '密', clusters: '聚合（圈越大事件越多）', noData: '无数据' },
  en: { heat: 'Event density', heatLow: 'sparse', heatHigh: 'dense', clusters: 'Clusters (larger: more events)', noData: 'no data' },
}
export type MapText = (typeof TEXT)['zh']

export const mapText = (locale: string): MapText => (locale.startsWith('en') ? TEXT.en : TEXT.zh)
