/**
 * Charts for paper: drawn once by ECharts' SVG renderer (server-side mode, no
 * animation), so a printed page or PDF is vector-crisp and complete the moment
 * it is in the page. The page's CSP forbids style attributes, so the styles
 * ECharts writes into its SVG are moved onto the elements through CSSOM.
 */
import { init, use } from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import type { ChartOption } from '@client/charts/echarts-core.ts'

use([LineChart, BarChart, GridComponent, LegendComponent, SVGRenderer])

/** Draw `option` as an SVG element of width × height (CSS pixels), scaling with its container. */
export function renderSvgChart(option: ChartOption, width: number, height: number): SVGSVGElement {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption({ ...option, animation: false })
  const markup = chart.renderToSVGString()
  chart.dispose()
  // neither a style element nor a style attribute may reach a parser (CSP applies to DOMParser too): the
  // declarations travel as data-style and are set through CSSOM once the elements exist
  const safe = markup.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/\sstyle="/g, ' data-style="')
  const doc = new DOMParser().parseFromString(safe, 'image/svg+xml')
  const svg = document.importNode(doc.documentElement, true) as unknown as SVGSVGElement
  for (const el of [svg, ...svg.querySelectorAll<SVGElement>('[data-style]')]) {
    const css = el.getAttribute('data-style')
    if (css === null) continue
    el.removeAttribute('data-style')
    for (const decl of css.split(';')) {
      const at = decl.indexOf(':')
      if (at > 0) el.style.setProperty(decl.slice(0, at).trim(), decl.slice(at + 1).trim())
    }
  }
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`)
  svg.setAttribute('width', '100%')
  svg.removeAttribute('height')
  svg.style.position = ''
  return svg
}
