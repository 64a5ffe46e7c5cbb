/**
 * Case and hotline category trees with their SLAs (config/categories.json),
 * validated at start, and the SLA lookups used at intake.
 */
import { z } from 'zod'
import { parseConfig } from './parse-config.ts'

const sla = z.strictObject({ normal: z.number().positive(), urgent: z.number().positive() })
// `en`: the English name a screen shows with ?lang=en; without it the Chinese name is shown
const en = z.string().trim().min(1).max(80).optional()
const leaf = z.strictObject({ code: z.string().min(1), name: z.string().min(1), en, sla: sla.optional() })
const group = z.strictObject({ code: z.string().min(1), name: z.string().min(1), en, children: z.array(leaf).min(1) })
// a service item's own time limit in days overrides the local/outside default (a regulation's limit);
// pausesOnDocs: the regulation stops the item's clock while the resident brings documents (补正)
const serviceLeaf = z.strictObject({
  code: z.string().min(1), name: z.string().min(1), en, limitDays: z.number().positive().max(366).optional(), pausesOnDocs: z.boolean().optional(),
})
const serviceGroup = z.strictObject({ code: z.string().min(1), name: z.string().min(1), en, children: z.array(serviceLeaf).min(1) })
const KINDS = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other'] as const

export const categoriesSchema = z.strictObject({
  $comment: z.string().optional(),
  satisfactionBasicWeight: z.number().min(0).max(1).default(0.9),
  case: z.array(group).min(1),
  hotline: z.array(group).min(1),
  hotlineSla: z.record(z.enum(KINDS), sla),
  /** 便民服务代办 items (DESIGN §6): 社保, 医保, 户籍, … */
  service: z.array(serviceGroup).default([]),
  /** 限: days to finish an errand the township does itself (local) or that needs an outside office. */
  serviceLimitDays: z.strictObject({ local: z.number().positive().max(366), outside: z.number().positive().max(366) }).default({ local: 7, outside: 30 }),
  /** 定: planned circuit visits of the service agents, per village and week (巡回服务完成率). */
  agentVisitsPerVillagePerWeek: z.number().min(0).max(100).default(1),
})
export type CategoryConfig = z.infer<typeof categoriesSchema>
export type HotlineKind = (typeof KINDS)[number]

export const isDispute = (category: string) => category.startsWith('dispute.')

export class Categories {
  private readonly caseSla = new Map<string, { normal: number; urgent: number }>()
  private readonly names = new Map<string, string>()
  private readonly hotlineCodes = new Set<string>()
  private readonly serviceLimits = new Map<string, number | undefined>()
  private readonly servicePauses = new Set<string>()

  constructor(readonly config: CategoryConfig) {
    for (const g of config.case) {
      this.names.set(g.code, g.name)
      for (const c of g.children) {
        if (!c.sla) throw new Error(`config/categories.json: case category ${c.code} has no sla`)
        this.caseSla.set(c.code, c.sla)
        this.names.set(c.code, c.name)
      }
    }
    for (const g of config.hotline) {
      this.names.set(g.code, g.name)
      for (const c of g.children) {
        this.hotlineCodes.add(c.code)
        this.names.set(c.code, c.name)
      }
    }
    for (const g of config.service) {
      this.names.set(g.code, g.name)
      for (const c of g.children) {
        this.serviceLimits.set(c.code, c.limitDays)
        if (c.pausesOnDocs) this.servicePauses.add(c.code)
        this.names.set(c.code, c.name)
      }
    }
  }

  /** Parse and check the config file's content; throws with the path of the first problem. */
  static parse(raw: unknown, file = 'config/categories.json'): Categories {
    return new Categories(parseConfig(categoriesSchema, raw, file))
  }

  name(code: string): string | undefined {
    return this.names.get(code)
  }

  /** Error text when a category does not belong to the feed, else null. */
  check(feed: 'case' | 'hotline' | 'service', code: string): string | null {
    const known = feed === 'case' ? this.caseSla.has(code) : feed === 'hotline' ? this.hotlineCodes.has(code) : this.serviceLimits.has(code)
    return known ? null : `category: "${code}" is not a ${feed} category (see GET /api/v1/categories)`
  }

  /** Time limit in days of a service errand: the item's own limit, else the default of its scope. */
  serviceLimitDays(item: string, scope: string | undefined): number {
    return this.serviceLimits.get(item) ?? (scope === 'outside' ? this.config.serviceLimitDays.outside : this.config.serviceLimitDays.local)
  }

  /** Whether an errand of this item stops its clock while it waits for the resident's documents (补正). */
  servicePausesOnDocs(item: string): boolean {
    return this.servicePauses.has(item)
  }

  /** SLA in hours of a case category and priority. */
  caseSlaHours(code: string, priority: string | undefined): number {
    const s = this.caseSla.get(code)!
    return priority === 'urgent' ? s.urgent : s.normal
  }

  /** SLA in hours of a hotline work order by kind and urgency. */
  hotlineSlaHours(kind: string, urgency: string | undefined): number {
    const s = this.config.hotlineSla[kind as HotlineKind] ?? this.config.hotlineSla.other ?? { normal: 72, urgent: 24 }
    return urgency === 'urgent' ? s.urgent : s.normal
  }
}
