/**
 * The category config and config/simulation.json as the generators draw
 * from them: case and hotline leaves weighted by how often they occur, the
 * kind, satisfaction, activity and severity mixes, and SLA lookups in hours.
 */
import type { CategoryConfig } from '../../domain/categories.ts'
import { entriesOf, type GridActivity, type HotlineKind, type SimParams } from '../sim-params.ts'
import { WeightedTable } from './random.ts'

/** The parts of config/categories.json the simulator reads (CategoryConfig fits). */
export type SimCategories = Pick<CategoryConfig, 'case' | 'hotline' | 'hotlineSla'> & Partial<Pick<CategoryConfig, 'service' | 'serviceLimitDays'>>

/** A 代办 item and its own time limit in days, if a regulation sets one. */
/** pausesOnDocs: its clock stops during 补正 (config/categories.json), so a wait adds to its time. */
export interface ServiceItem { code: string; limitDays?: number; pausesOnDocs?: boolean }

export interface CaseCategory { code: string; sla: { normal: number; urgent: number } }

const FALLBACK_SLA = { normal: 72, urgent: 24 }
const PARAMS_FILE = 'config/simulation.json'

export class Catalog {
  readonly caseCategories: WeightedTable<CaseCategory>
  readonly hotlineCategories: WeightedTable<string>
  readonly kinds: [HotlineKind, number][]
  readonly satisfaction: ['satisfied' | 'basic' | 'unsatisfied', number][]
  readonly activities: [GridActivity, number][]
  readonly severity: ['info' | 'warning' | 'critical', number][]
  /** 代办 items by frequency; empty when config/simulation.json has no service section. */
  readonly serviceItems: WeightedTable<ServiceItem>
  private readonly caseCodes: Map<string, CaseCategory>
  private readonly hotlineCodes: Set<string>

  constructor(private readonly config: SimCategories, readonly params: SimParams) {
    const cases = config.case.flatMap((g) => g.children.map((c) => ({ code: c.code, sla: c.sla ?? FALLBACK_SLA })))
    this.caseCodes = new Map(cases.map((c) => [c.code, c]))
    this.hotlineCodes = new Set(config.hotline.flatMap((g) => g.children.map((c) => c.code)))
    this.caseCategories = new WeightedTable(entriesOf(params.case.categories).map(([code, w]) => [this.caseCategory(code, `case.categories.${code}`), w] as const))
    this.hotlineCategories = new WeightedTable(entriesOf(params.hotline.categories).map(([code, w]) => [this.hotlineCategory(code, `hotline.categories.${code}`), w] as const))
    this.kinds = entriesOf(params.hotline.kinds)
    this.satisfaction = entriesOf(params.hotline.satisfaction)
    this.activities = entriesOf(params.grid.activities)
    this.severity = entriesOf(params.grid.severity)
    const items = new Map((config.service ?? []).flatMap((g) => g.children.map((c) => [c.code, { code: c.code, limitDays: c.limitDays, pausesOnDocs: c.pausesOnDocs === true }] as const)))
    this.serviceItems = new WeightedTable(entriesOf(params.service?.items ?? {}).map(([code, w]) => {
      const item = items.get(code)
      if (!item) throw new Error(`${PARAMS_FILE}: service.items.${code}: "${code}" is not a service item of config/categories.json`)
      return [item, w] as const
    }))
  }

  /** Time limit in days of an errand: the item's own, else 7 (local) or 30 (outside) as configured. */
  serviceLimitDays(item: ServiceItem, outside: boolean): number {
    const byScope = this.config.serviceLimitDays ?? { local: 7, outside: 30 }
    return item.limitDays ?? (outside ? byScope.outside : byScope.local)
  }

  /** A case leaf by code; `where` names the setting for the error when it is unknown. */
  caseCategory(code: string, where: string): CaseCategory {
    const c = this.caseCodes.get(code)
    if (!c) throw new Error(`${PARAMS_FILE}: ${where}: "${code}" is not a case category of config/categories.json`)
    return c
  }

  hotlineCategory(code: string, where: string): string {
    if (!this.hotlineCodes.has(code)) throw new Error(`${PARAMS_FILE}: ${where}: "${code}" is not a hotline category of config/categories.json`)
    return code
  }

  /** SLA hours of a hotline work order by kind and urgency. */
  hotlineSlaHours(kind: string, urgent: boolean): number {
    const sla = (this.config.hotlineSla as Record<string, { normal: number; urgent: number } | undefined>)[kind] ?? FALLBACK_SLA
    return urgent ? sla.urgent : sla.normal
  }
}
