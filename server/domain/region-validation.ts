/**
 * Checks for an imported region tree: maps common source property names onto the region
 * contract, then checks codes, the hierarchy and that every child lies inside its parent; each
 * ring's own geometry is checked in plane-geometry.ts. Pure (no Node APIs);
 * server/cli/import-regions.ts does the reading and writing.
 */
import { Boundary, checkGeometry, DEFAULT_TOLERANCE, fmt, isObject, polygonsOf, type Geometry } from './plane-geometry.ts'
import { LEVELS, type Level, type RegionFeature, type RegionProps } from './regions.ts'

/** One problem, located by its source file and the feature's index there (-1: the whole input). */
export interface RegionIssue { index: number; code: string; file?: string; message: string }
/** A feature as read from a source file, before any checks. */
export interface SourceFeature { feature: unknown; index: number; file?: string }
export interface ImportOptions {
  /** property that holds the level (default `level`); without it the level follows the code length */
  levelProperty?: string
  /** the root's code, when its parent points outside the input (DataV points a city at its province) */
  root?: string
  /** how far, in degrees, a child vertex may lie outside its parent or a hole outside its shell */
  tolerance?: number
}
/** The checked tree, parents before children (breadth first); `features` is empty when there are issues. */
export interface RegionImport { features: RegionFeature[]; issues: RegionIssue[]; root?: RegionProps; counts: Record<Level, number> }

const LEVEL_NAMES: Record<string, Level> = {
  province: 'province', 省: 'province', 省份: 'province', 自治区: 'province', 直辖市: 'province',
  city: 'city', 市: 'city', 地级市: 'city',
  district: 'district', county: 'district', 区: 'district', 县: 'district', 区县: 'district',
  township: 'township', town: 'township', street: 'township', 乡: 'township', 镇: 'township', 街道: 'township', 乡镇: 'township', 乡镇街道: 'township',
  village: 'village', community: 'village', 村: 'village', 社区: 'village', 村居: 'village',
  grid: 'grid', 网格: 'grid',
}

/** A read feature; `level` undefined: unknown, `parent` undefined: unusable (both already reported). */
interface Entry { src: SourceFeature; code: string; name: string; level?: Level; parent?: string | null; population?: number; geometry?: Geometry }

/** How an issue reads on a terminal: `district.geojson feature 3 (650402): …`. */
export function formatIssue(i: RegionIssue): string {
  return i.index < 0 ? `${i.file ?? 'input'}: ${i.message}` : `${i.file ?? 'input'} feature ${i.index} (${i.code || 'no code'}): ${i.message}`
}

/** The features of a parsed GeoJSON FeatureCollection, or an issue saying why it is not one. */
export function sourceFeatures(json: unknown, file?: string): { sources: SourceFeature[]; issues: RegionIssue[] } {
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    return { sources: [], issues: [{ index: -1, code: '', file, message: 'is not a GeoJSON FeatureCollection (expected {"type":"FeatureCollection","features":[…]})' }] }
  }
  return { sources: json.features.map((feature: unknown, index: number) => ({ feature, index, file })), issues: [] }
}

/** Map source features onto the region contract and check everything; see RegionImport. */
export function importRegions(sources: SourceFeature[], opts: ImportOptions = {}): RegionImport {
  const issues: RegionIssue[] = []
  const entries: Entry[] = []
  for (const src of sources) {
    const entry = readFeature(src, opts, (code, message) => issues.push({ index: src.index, code, file: src.file, message }))
    if (entry) entries.push(entry)
  }
  const { root, children } = checkTree(entries, opts, issues)
  checkContainment(entries, opts.tolerance ?? DEFAULT_TOLERANCE, issues)
  const files = [...new Set(sources.map((s) => s.file))]
  issues.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.index - b.index) // in input order
  const counts = Object.fromEntries(LEVELS.map((l) => [l, entries.filter((e) => e.level === l).length])) as Record<Level, number>
  if (issues.length > 0 || !root) return { features: [], issues, root: root && propsOf(root), counts }
  const features: RegionFeature[] = []
  for (let queue = [root]; queue.length > 0; queue = queue.flatMap((e) => children.get(e.code) ?? [])) {
    for (const e of queue) features.push({ type: 'Feature', id: e.code, properties: propsOf(e), geometry: e.geometry! })
  }
  return { features, issues, root: propsOf(root), counts }
}

function readFeature(src: SourceFeature, opts: ImportOptions, report: (code: string, message: string) => void): Entry | undefined {
  const f = src.feature
  if (!isObject(f) || f.type !== 'Feature') return void report('', 'is not a GeoJSON Feature')
  const p = isObject(f.properties) ? f.properties : {}
  const rawCode = p.code ?? p.adcode ?? f.id
  const code = codeOf(rawCode)
  if (code === undefined) {
    report(rawCode == null ? '' : String(rawCode), rawCode == null || rawCode === '' ? 'has no code (properties.code, properties.adcode or the feature id)' : `code ${JSON.stringify(rawCode)} is not a string of digits`)
    return undefined
  }
  const fail = (message: string) => report(code, message)
  const name = typeof p.name === 'string' ? p.name.trim() : ''
  if (!name) fail('has no name (properties.name)')
  const rawParent = p.parent ?? p.parent_code ?? p.parentCode ?? p.parent_adcode
  const hasParent = code !== opts.root && rawParent != null && rawParent !== ''
  const parent = hasParent ? codeOf(isObject(rawParent) ? rawParent.adcode ?? rawParent.code : rawParent) : null
  if (parent === undefined) fail(`parent ${JSON.stringify(rawParent)} is not a code (a string of digits)`)
  const key = opts.levelProperty ?? 'level'
  const rawLevel = p[key]
  let level: Level | undefined
  if (rawLevel == null || rawLevel === '') {
    level = levelFromCode(code, hasParent)
    if (!level) fail(`has no "${key}" property and its ${code.length}-digit code says no level (6 digits: province/city/district, 9 township, 12 village, 15 grid)`)
  } else {
    level = LEVEL_NAMES[String(rawLevel).trim().toLowerCase()]
    if (!level) fail(`unknown ${key} ${JSON.stringify(rawLevel)}; expected one of ${LEVELS.join(', ')}`)
  }
  const population = p.population == null ? undefined : typeof p.population === 'number' || typeof p.population === 'string' ? Number(p.population) : NaN
  if (population !== undefined && !(Number.isFinite(population) && population >= 0)) fail(`population ${JSON.stringify(p.population)} is not a number ≥ 0`)
  const { geometry, problems } = checkGeometry(f.geometry, opts.tolerance ?? DEFAULT_TOLERANCE)
  problems.forEach(fail)
  return { src, code, name, level, parent, population, geometry }
}

function propsOf(e: Entry): RegionProps {
  const props: RegionProps = { code: e.code, name: e.name, level: e.level!, parent: e.parent ?? null }
  if (e.population !== undefined) props.population = e.population
  return props
}

/**
 * 6 digits (GB/T 2260): a province when it is the root and ends in 0000, a city when it is the root
 * and ends in 00 or sits below a province (any parent) and ends in 00 but not 0000, else a district;
 * 9/12/15: township/village/grid.
 */
function levelFromCode(code: string, hasParent: boolean): Level | undefined {
  if (code.length === 6) {
    if (!hasParent) return code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'district'
    return code.endsWith('00') && !code.endsWith('0000') ? 'city' : 'district'
  }
  return ({ 9: 'township', 12: 'village', 15: 'grid' } as Record<number, Level>)[code.length]
}

function checkTree(entries: Entry[], opts: ImportOptions, issues: RegionIssue[]): { root?: Entry; children: Map<string, Entry[]> } {
  const report = (e: Entry, message: string) => issues.push({ index: e.src.index, code: e.code, file: e.src.file, message })
  const byCode = new Map<string, Entry>()
  for (const e of entries) {
    const first = byCode.get(e.code)
    if (first) report(e, `duplicate code: ${where(first)} has the same code (${first.name}); codes must be unique`)
    else byCode.set(e.code, e)
  }
  const unique = [...byCode.values()]
  const depth = (e: Entry) => (e.level ? LEVELS.indexOf(e.level) : LEVELS.length)
  const parentless = unique.filter((e) => e.parent === null).sort((a, b) => depth(a) - depth(b))
  const root = opts.root === undefined ? parentless[0] : byCode.get(opts.root)
  if (opts.root !== undefined && !root) issues.push({ index: -1, code: opts.root, message: `the root ${opts.root} is not in the input` })
  if (!root && opts.root === undefined) {
    issues.push({ index: -1, code: '', message: 'no root: every feature has a parent. Give the top region parent null, or name it as the root (--root <code>)' })
  }
  for (const e of parentless) {
    if (root && e !== root) report(e, `has no parent, but ${root.code} ${root.name} (${where(root)}) is the root; only one root is allowed, so give this one its parent`)
  }
  const children = new Map<string, Entry[]>()
  for (const e of unique) {
    if (e.parent == null) continue
    const parent = byCode.get(e.parent)
    const want = e.level && LEVELS[LEVELS.indexOf(e.level) - 1]
    if (!parent) report(e, `parent ${e.parent} is not in the input`)
    else if (parent === e) report(e, 'is its own parent')
    else if (!e.level || !parent.level) continue
    else if (!want) report(e, `is a ${e.level}, the top level, but has parent ${e.parent}`)
    else if (parent.level !== want) {
      report(e, `is a ${e.level} but its parent ${e.parent} ${parent.name} is a ${parent.level}; a ${e.level}'s parent must be a ${want} (no skipped levels)`)
    } else children.set(e.parent, [...(children.get(e.parent) ?? []), e])
  }
  return { root, children }
}

function where(e: Entry): string {
  return `${e.src.file ?? 'input'} feature ${e.src.index}`
}

function checkContainment(entries: Entry[], tolerance: number, issues: RegionIssue[]): void {
  const byCode = new Map<string, Entry>()
  for (const e of entries) if (!byCode.has(e.code)) byCode.set(e.code, e)
  const boundaries = new Map<string, Boundary>()
  for (const e of entries) {
    const parent = e.parent == null ? undefined : byCode.get(e.parent)
    if (!e.geometry || !parent?.geometry || parent === e) continue
    let boundary = boundaries.get(parent.code)
    if (!boundary) boundaries.set(parent.code, (boundary = new Boundary(polygonsOf(parent.geometry))))
    const positions = polygonsOf(e.geometry).flat(2)
    const outside = positions.filter(([x, y]) => !boundary.covers(x, y, tolerance))
    if (outside.length === 0) continue
    const [x, y] = outside[0]!
    issues.push({
      index: e.src.index, code: e.code, file: e.src.file,
      message: `lies outside its parent ${parent.code} ${parent.name}: position ${fmt([x, y])} is ${boundary.distance(x, y).toPrecision(2)}° outside ` +
        `(${outside.length} of ${positions.length} positions outside; tolerance ${tolerance}°). Children must lie inside their parent or on its border`,
    })
  }
}

function codeOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v)
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return v.trim()
  return undefined
}
