/**
 * The category config as the generators draw from it: case leaves weighted
 * by how often such cases occur, hotline leaves, and SLA lookups in hours.
 */
import type { CategoryConfig } from '../../server/domain/categories.ts'
import { WeightedTable } from './random.ts'

/** The parts of config/categories.json the simulator reads (CategoryConfig fits). */
export type SimCategories = Pick<CategoryConfig, 'case' | 'hotline' | 'hotlineSla'>

export interface CaseCategory { code: string; sla: { normal: number; urgent: number } }

// Street-level sanitation and vendor cases dominate a 数字城管 stream; disputes are a few percent.
const CASE_WEIGHTS: Record<string, number> = {
  'city.sanitation': 30, 'city.vendors': 15, 'city.facilities': 12, 'city.greenery': 6,
  'city.construction': 4, 'city.waterlogging': 3,
}
const weightOf = (code: string) => CASE_WEIGHTS[code] ?? (code.startsWith('dispute.') ? 1 : 4)

const FALLBACK_SLA = { normal: 72, urgent: 24 }

export class Catalog {
  readonly caseCategories: WeightedTable<CaseCategory>
  readonly hotlineCategories: string[]

  constructor(private readonly config: SimCategories) {
    const cases = config.case.flatMap((g) => g.children.map((c) => ({ code: c.code, sla: c.sla ?? FALLBACK_SLA })))
    this.caseCategories = new WeightedTable(cases.map((c) => [c, weightOf(c.code)] as const))
    this.hotlineCategories = config.hotline.flatMap((g) => g.children.map((c) => c.code))
    if (this.caseCategories.size === 0 || this.hotlineCategories.length === 0) {
      throw new Error('categories: the simulator needs at least one case and one hotline leaf category')
    }
  }

  /** SLA hours of a hotline work order by kind and urgency. */
  hotlineSlaHours(kind: string, urgent: boolean): number {
    const sla = (this.config.hotlineSla as Record<string, { normal: number; urgent: number } | undefined>)[kind] ?? FALLBACK_SLA
    return urgent ? sla.urgent : sla.normal
  }
}
