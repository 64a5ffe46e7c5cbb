/** Chart text and colours, sized in design units (`u` CSS px per design px) like the rest of the wall. */
export const CHART_FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
export const CHART_COLORS = {
  accent: '#3fd0ff',
  accentDeep: '#1e6fd9',
  muted: '#8fb3d6',
  dim: '#56799d',
  grid: 'rgba(63, 208, 255, 0.12)',
  yesterday: '#8c9bb8',
  text: '#e6f4ff',
}
/** Hotline kinds in a fixed order with fixed colours, so a kind keeps its colour across updates. */
export const KIND_ORDER = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other'] as const
export const KIND_COLORS: Record<string, string> = {
  consult: '#3fd0ff', help: '#34d399', complaint: '#f87171', report: '#fbbf24', suggestion: '#a78bfa', praise: '#f472b6', other: '#64748b',
}

export const textStyle = (u: number, size: number, color = CHART_COLORS.muted) => ({ color, fontSize: Math.round(size * u), fontFamily: CHART_FONT })
