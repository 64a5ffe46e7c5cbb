/**
 * Checks for an imported region tree: maps common source property names onto the region
 * contract, then checks codes, the hierarchy, ring geometry and that every child lies inside its
 * parent. Pure (no Node APIs); server/cli/import-regions.ts does the reading and writing.
 */
import RBush from 'rbush'
import { LEVELS, type Level, type RegionFeature, type RegionProps } from './regions.ts'

type Position = [number, number]
type Ring = Position[]
type Geometry = RegionFeature['geometry']

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

export const DEFAULT_TOLERANCE = 1e-7
const LEVEL_NAMES: Record<string, Level> = {
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
    if (!level) fail(`has no "${key}" property and its ${code.length}-digit code says no level (6 digits: city/district, 9 township, 12 village, 15 grid)`)
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

/** 6 digits: a city when it is the root and ends in 00, else a district; 9/12/15: township/village/grid. */
function levelFromCode(code: string, hasParent: boolean): Level | undefined {
  if (code.length === 6) return !hasParent && code.endsWith('00') ? 'city' : 'district'
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
    else if (!want) report(e, `is a city, the top level, but has parent ${e.parent}`)
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

// --- geometry -------------------------------------------------------------------------------

/** A feature's geometry reduced to [lon, lat] positions, or the problems that make it unusable. */
export function checkGeometry(g: unknown, tolerance = DEFAULT_TOLERANCE): { geometry?: Geometry; problems: string[] } {
  if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    return { problems: [`geometry is ${isObject(g) ? String(g.type) : 'missing'}; expected a Polygon or MultiPolygon`] }
  }
  const multi = g.type === 'MultiPolygon'
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return { problems: [`${g.type} has no coordinates`] }
  const problems: string[] = []
  const polys: Ring[][] = []
  for (const [pi, poly] of (multi ? g.coordinates : [g.coordinates]).entries()) {
    const at = (ri: number) => `${multi ? `polygon ${pi} ` : ''}ring ${ri}${ri === 0 ? ' (shell)' : ' (hole)'}`
    if (!Array.isArray(poly) || poly.length === 0) { problems.push(`${multi ? `polygon ${pi}` : 'the polygon'} has no rings`); continue }
    const rings = poly.map((r: unknown, ri: number) => checkRing(r, at(ri), problems))
    const [shell, ...holes] = rings
    if (shell) {
      const boundary = new Boundary([[shell]])
      holes.forEach((h, hi) => {
        const k = h ? h.findIndex(([x, y]) => !boundary.covers(x, y, tolerance)) : -1
        if (k >= 0) problems.push(`${at(hi + 1)} has position ${k} ${fmt(h![k]!)} outside its shell; holes must lie inside ring 0 of their polygon`)
      })
    }
    if (rings.every(Boolean)) polys.push(rings as Ring[])
  }
  if (problems.length > 0) return { problems }
  const geometry: Geometry = multi ? { type: 'MultiPolygon', coordinates: polys } : { type: 'Polygon', coordinates: polys[0]! }
  return { geometry, problems }
}

function checkRing(raw: unknown, at: string, problems: string[]): Ring | undefined {
  if (!Array.isArray(raw)) return void problems.push(`${at} is not an array of positions`)
  const ring: Ring = []
  for (const [k, p] of raw.entries()) {
    if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return void problems.push(`${at} position ${k} is ${JSON.stringify(p)}, not a [lon, lat] pair of finite numbers`)
    }
    const [x, y] = p as number[] as Position
    if (Math.abs(x) > 180 || Math.abs(y) > 90) {
      const swapped = Math.abs(x) <= 90 && Math.abs(y) <= 180 ? ' (it looks like [lat, lon]; GeoJSON wants [lon, lat])' : ''
      return void problems.push(`${at} position ${k} ${fmt([x, y])} is out of range: lon −180…180, lat −90…90${swapped}`)
    }
    ring.push([x, y])
  }
  if (ring.length < 4) return void problems.push(`${at} has ${ring.length} positions; a ring needs at least 4 (3 corners, then the first again)`)
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return void problems.push(`${at} is not closed: it starts at ${fmt(first)} but ends at ${fmt(last)}; repeat the first position at the end`)
  }
  const pts = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1])
  if (pts.length < 4) return void problems.push(`${at} has fewer than 3 distinct corners`)
  const cross = selfIntersection(pts)
  if (cross) return void problems.push(`${at} intersects itself near ${fmt(cross.at)} (edges ${cross.i} and ${cross.j}); fix the ring, e.g. with mapshaper -clean or ST_MakeValid`)
  return ring
}

/**
 * First crossing or touch between two edges of a closed ring (no repeated consecutive positions).
 * A sweep over edges sorted by west end: near O(n log n) on real boundaries, O(n²) at worst.
 */
export function selfIntersection(pts: Ring): { at: Position; i: number; j: number } | undefined {
  const m = pts.length - 1
  const west = Float64Array.from({ length: m }, (_, k) => Math.min(pts[k]![0], pts[k + 1]![0]))
  const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => west[a]! - west[b]!)
  for (let a = 0; a < m; a++) {
    const east = Math.max(pts[order[a]!]![0], pts[order[a]! + 1]![0])
    for (let b = a + 1; b < m && west[order[b]!]! <= east; b++) {
      const [i, j] = [Math.min(order[a]!, order[b]!), Math.max(order[a]!, order[b]!)]
      const [p, q, r, s] = [pts[i]!, pts[i + 1]!, pts[j]!, pts[j + 1]!]
      if (Math.max(p[1], q[1]) < Math.min(r[1], s[1]) || Math.min(p[1], q[1]) > Math.max(r[1], s[1])) continue
      const hit = j === i + 1 ? foldBack(p, q, s) : i === 0 && j === m - 1 ? foldBack(r, p, q) : crossing(p, q, r, s)
      if (hit) return { at: hit, i, j }
    }
  }
  return undefined
}

const orient = (a: Position, b: Position, c: Position): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
const onSegment = (a: Position, b: Position, p: Position): boolean =>
  orient(a, b, p) === 0 && Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])

/** Adjacent edges a→b→c overlap only when c turns straight back along b→a. */
function foldBack(a: Position, b: Position, c: Position): Position | undefined {
  return orient(a, b, c) === 0 && (a[0] - b[0]) * (c[0] - b[0]) + (a[1] - b[1]) * (c[1] - b[1]) > 0 ? b : undefined
}

/** Where segments pq and rs meet (cross or touch), if they do. */
function crossing(p: Position, q: Position, r: Position, s: Position): Position | undefined {
  const [d1, d2, d3, d4] = [orient(r, s, p), orient(r, s, q), orient(p, q, r), orient(p, q, s)]
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2)
    return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
  }
  return [p, q].find((x) => onSegment(r, s, x)) ?? [r, s].find((x) => onSegment(p, q, x))
}

interface Segment { minX: number; minY: number; maxX: number; maxY: number; a: Position; b: Position }

/** The rings of one or more polygons, with an R-tree of their edges for point queries. */
class Boundary {
  private readonly tree = new RBush<Segment>()

  constructor(polys: Ring[][]) {
    const segs: Segment[] = []
    for (const ring of polys.flat()) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [a, b] = [ring[k]!, ring[k + 1]!]
        segs.push({ minX: Math.min(a[0], b[0]), minY: Math.min(a[1], b[1]), maxX: Math.max(a[0], b[0]), maxY: Math.max(a[1], b[1]), a, b })
      }
    }
    this.tree.load(segs)
  }

  /** Inside (even-odd over every ring), or within `tol` of an edge. */
  covers(x: number, y: number, tol: number): boolean {
    if (this.tree.search({ minX: x - tol, minY: y - tol, maxX: x + tol, maxY: y + tol }).some((s) => segmentDistance(x, y, s.a, s.b) <= tol)) return true
    let inside = false
    for (const { a, b } of this.tree.search({ minX: x, minY: y, maxX: Infinity, maxY: y })) {
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
    }
    return inside
  }

  /** Distance from the point to the nearest edge (a linear scan: only used for messages). */
  distance(x: number, y: number): number {
    return this.tree.all().reduce((d, s) => Math.min(d, segmentDistance(x, y, s.a, s.b)), Infinity)
  }
}

/** Euclidean distance in degrees from (x, y) to the segment ab. */
export function segmentDistance(x: number, y: number, a: Position, b: Position): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2))
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy))
}

const polygonsOf = (g: Geometry): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
const fmt = (p: Position): string => `[${p[0]}, ${p[1]}]`
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function codeOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v)
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return v.trim()
  return undefined
}
