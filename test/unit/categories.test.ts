import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { Categories, isDispute } from '../../server/domain/categories.ts'

const FILE = fileURLToPath(new URL('../../config/categories.json', import.meta.url))
const text = readFileSync(FILE, 'utf8')
const fresh = () => JSON.parse(text) as Record<string, unknown> & {
  case: { code: string; name: string; children: { code: string; name: string; sla?: unknown }[] }[]
  hotline: { code: string; name: string; children: { code: string; name: string }[] }[]
  hotlineSla: Record<string, unknown>
}
const cats = Categories.parse(fresh())

describe('Categories with config/categories.json', () => {
  it('parses the shipped config', () => {
    expect(cats.config.satisfactionBasicWeight).toBe(0.9)
    expect(cats.config.case.length).toBeGreaterThan(0)
    expect(cats.config.hotline.length).toBeGreaterThan(0)
  })

  it('accepts known case leaf categories for the case feed', () => {
    for (const code of ['city.sanitation', 'safety.fire', 'env.noise', 'dispute.land']) {
      expect(cats.check('case', code), code).toBeNull()
    }
  })

  it('accepts known hotline leaf categories for the hotline feed', () => {
    for (const code of ['hl.utilities.water', 'hl.urban.roads', 'hl.people.agri']) {
      expect(cats.check('hotline', code), code).toBeNull()
    }
  })

  it('rejects unknown codes, group codes and codes of the other feed with a clear reason', () => {
    const e = cats.check('case', 'city.unicorns')
    expect(e).toContain('category')
    expect(e).toContain('"city.unicorns"')
    expect(e).toContain('not a case category')
    expect(cats.check('case', 'city')).toContain('not a case category') // a group, not a leaf
    expect(cats.check('hotline', 'hl.utilities')).toContain('not a hotline category')
    expect(cats.check('case', 'hl.urban.roads')).toContain('not a case category')
    expect(cats.check('hotline', 'city.sanitation')).toContain('not a hotline category')
    expect(cats.check('case', '')).not.toBeNull()
  })

  it('checks every configured leaf for its own feed only', () => {
    for (const g of cats.config.case) for (const c of g.children) {
      expect(cats.check('case', c.code), c.code).toBeNull()
      expect(cats.check('hotline', c.code), c.code).not.toBeNull()
    }
    for (const g of cats.config.hotline) for (const c of g.children) {
      expect(cats.check('hotline', c.code), c.code).toBeNull()
      expect(cats.check('case', c.code), c.code).not.toBeNull()
    }
  })

  it('looks up case SLA hours by priority (normal when absent or unknown)', () => {
    expect(cats.caseSlaHours('city.sanitation', 'normal')).toBe(48)
    expect(cats.caseSlaHours('city.sanitation', 'urgent')).toBe(8)
    expect(cats.caseSlaHours('city.sanitation', undefined)).toBe(48)
    expect(cats.caseSlaHours('dispute.family', undefined)).toBe(240)
    expect(cats.caseSlaHours('dispute.family', 'urgent')).toBe(72)
    expect(cats.caseSlaHours('safety.hazard', 'urgent')).toBe(6)
  })

  it('looks up hotline SLA hours by kind and urgency', () => {
    expect(cats.hotlineSlaHours('consult', undefined)).toBe(24)
    expect(cats.hotlineSlaHours('consult', 'urgent')).toBe(4)
    expect(cats.hotlineSlaHours('complaint', 'normal')).toBe(120)
    expect(cats.hotlineSlaHours('suggestion', 'urgent')).toBe(72)
    expect(cats.hotlineSlaHours('help', 'normal')).toBe(72)
  })

  it('falls back to the "other" SLA for an unknown kind', () => {
    expect(cats.hotlineSlaHours('gossip', undefined)).toBe(72)
    expect(cats.hotlineSlaHours('gossip', 'urgent')).toBe(24)
  })

  it('requires an SLA for every hotline kind in the config', () => {
    const raw = fresh()
    raw.hotlineSla = { consult: { normal: 10, urgent: 2 } }
    expect(() => Categories.parse(raw)).toThrow(/hotlineSla\.\w+/)
  })

  it('falls back to 72/24 when neither the kind nor "other" is configured (constructed directly)', () => {
    const c = new Categories({ ...cats.config, hotlineSla: { consult: { normal: 10, urgent: 2 } } } as typeof cats.config)
    expect(c.hotlineSlaHours('help', undefined)).toBe(72)
    expect(c.hotlineSlaHours('help', 'urgent')).toBe(24)
    expect(c.hotlineSlaHours('consult', 'urgent')).toBe(2)
  })

  it('names groups and leaves of both trees', () => {
    expect(cats.name('city')).toBe('市容城管')
    expect(cats.name('city.sanitation')).toBe('环境卫生')
    expect(cats.name('hl.urban.roads')).toBe('道路交通')
    expect(cats.name('nope')).toBeUndefined()
  })

  it('has an English name for every group and leaf of the shipped config, with no Chinese in it', () => {
    const all = [...cats.config.case, ...cats.config.hotline].flatMap((g) => [g, ...g.children])
    expect(all.length).toBeGreaterThan(30)
    for (const c of all) expect(c.en, c.code).toMatch(/^[A-Z][A-Za-z ,'-]+$/)
    expect(cats.config.case[0]!.children[0]).toMatchObject({ code: 'city.sanitation', name: '环境卫生', en: 'Sanitation' })
  })

  it('takes a category without an English name (it is optional) but not an empty one', () => {
    const raw = fresh()
    delete (raw.case[0]!.children[0] as { en?: string }).en
    delete (raw.hotline[0] as { en?: string }).en
    expect(Categories.parse(raw).config.case[0]!.children[0]!.en).toBeUndefined()
    const empty = fresh()
    ;(empty.case[0]!.children[1] as { en?: string }).en = ' '
    expect(() => Categories.parse(empty)).toThrow(/case\.0\.children\.1\.en/)
  })

  it('defaults satisfactionBasicWeight to 0.9 when absent', () => {
    const raw = fresh()
    delete raw.satisfactionBasicWeight
    expect(Categories.parse(raw).config.satisfactionBasicWeight).toBe(0.9)
  })
})

describe('isDispute', () => {
  it('is true only for codes starting with "dispute."', () => {
    expect(isDispute('dispute.land')).toBe(true)
    expect(isDispute('dispute')).toBe(false)
    expect(isDispute('city.dispute.x')).toBe(false)
    expect(isDispute('disputes.x')).toBe(false)
  })
})

describe('Categories.parse on a broken config', () => {
  const fails = (mutate: (raw: ReturnType<typeof fresh>) => void): string => {
    const raw = fresh()
    mutate(raw)
    try {
      Categories.parse(raw)
    } catch (err) {
      expect(err).toBeInstanceOf(Error)
      return (err as Error).message
    }
    throw new Error('expected Categories.parse to throw')
  }

  it('names the path of a negative SLA', () => {
    const m = fails((r) => { r.case[0]!.children[0]!.sla = { normal: -1, urgent: 8 } })
    expect(m).toMatch(/^config\/categories\.json: /)
    expect(m).toContain('case.0.children.0.sla.normal')
  })

  it('names the path of a missing case list', () => {
    const m = fails((r) => { delete (r as Record<string, unknown>).case })
    expect(m).toContain('config/categories.json')
    expect(m).toContain('case')
  })

  it('rejects an empty category group', () => {
    expect(fails((r) => { r.hotline[0]!.children = [] })).toContain('hotline.0.children')
  })

  it('rejects an unknown top-level key and an unknown key in a leaf', () => {
    expect(fails((r) => { (r as Record<string, unknown>).extra = 1 })).toContain('extra')
    expect(fails((r) => { (r.case[0]!.children[0] as Record<string, unknown>).slaHours = 3 })).toContain('case.0.children.0')
  })

  it('rejects an unknown hotline kind in hotlineSla', () => {
    expect(fails((r) => { r.hotlineSla.gossip = { normal: 1, urgent: 1 } })).toContain('hotlineSla')
  })

  it('rejects a weight above 1', () => {
    expect(fails((r) => { r.satisfactionBasicWeight = 1.5 })).toContain('satisfactionBasicWeight')
  })

  it('rejects a case category without an SLA, naming it', () => {
    const m = fails((r) => { delete r.case[1]!.children[0]!.sla })
    expect(m).toContain('safety.hazard')
    expect(m).toContain('no sla')
  })

  it('reads pausesOnDocs of a service item (补正 stops its clock) and takes nothing but true or false', () => {
    expect(cats.servicePausesOnDocs('svc.estate.register')).toBe(true)
    expect(cats.servicePausesOnDocs('svc.disability.card')).toBe(true)
    expect(cats.servicePausesOnDocs('svc.social.card')).toBe(false)
    expect(cats.servicePausesOnDocs('svc.unknown')).toBe(false)
    const raw = JSON.parse(text) as { service: { children: Record<string, unknown>[] }[] }
    raw.service[0]!.children[0]!.pausesOnDocs = 'yes'
    expect(() => Categories.parse(raw)).toThrow(/service\.0\.children\.0\.pausesOnDocs/)
  })

  it('rejects a config that is not an object', () => {
    expect(() => Categories.parse(null)).toThrow(/config\/categories\.json/)
    expect(() => Categories.parse([])).toThrow(/config\/categories\.json/)
  })
})
