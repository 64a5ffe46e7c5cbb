/**
 * Import real boundaries into the region config: reads GeoJSON files (or folders of per-level
 * files), checks them with domain/region-validation.ts and writes one region file. Writes nothing
 * when anything is wrong. Run `npx tsx server/cli/import-regions.ts --help`.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LEVELS, type RegionCollection } from '../domain/regions.ts'
import { projectRoot } from '../project-root.ts'
import { DEFAULT_TOLERANCE } from '../domain/plane-geometry.ts'
import {
  formatIssue, importRegions, sourceFeatures,
  type ImportOptions, type RegionIssue, type SourceFeature,
} from '../domain/region-validation.ts'

const REGIONS_DIR = join(projectRoot(import.meta.dirname), 'config/regions')
const MAX_SHOWN = 50

const USAGE = `Usage: import-regions <file-or-folder>... [options]

Reads GeoJSON FeatureCollections (a folder: every .geojson/.json file in it, e.g. one per level),
checks codes, the (province →) city → district → township → village → grid tree and the boundaries, and writes
one region file. Properties read: code|adcode (or the feature id), name, parent|parent_code|
parentCode (or {adcode}), level, population. Without a level the code length decides: 6 digits
province (the root, ending 0000), city (the root, or ending 00 below a province) or district,
9 township, 12 village, 15 grid.

Options:
  --out <file|folder>       where to write (default: config/regions/<root code>-<slug>.geojson)
  --slug <text>             file name part after the root code (default: from the root's name)
  --attribution <text>      data source shown on the map (default: "imported from <inputs>")
  --level-property <name>   property holding the level (default: level)
  --root <code>             the root region, when its parent points outside the input (DataV)
  --tolerance <degrees>     how far a child may stick out of its parent (default: ${DEFAULT_TOLERANCE})
  --force                   overwrite an existing output file
  -h, --help                show this help

Exit status: 0 written, 1 the input has problems (all listed, nothing written), 2 usage error.`

class UsageError extends Error {}

interface Args extends ImportOptions { inputs: string[]; out?: string; slug?: string; attribution?: string; force: boolean }

function parse(argv: string[]): Args | 'help' {
  const str = { type: 'string' } as const
  let parsed
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: { out: str, slug: str, attribution: str, 'level-property': str, root: str, tolerance: str, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values: v, positionals } = parsed
  if (v.help) return 'help'
  if (positionals.length === 0) throw new UsageError('no input: give a GeoJSON file or a folder of them')
  const tolerance = v.tolerance === undefined ? undefined : Number(v.tolerance)
  if (tolerance !== undefined && !(tolerance >= 0 && Number.isFinite(tolerance))) throw new UsageError(`--tolerance "${v.tolerance}" must be a number of degrees ≥ 0`)
  if (v.root !== undefined && !/^\d+$/.test(v.root)) throw new UsageError(`--root "${v.root}" must be a region code (digits)`)
  if (v.slug !== undefined && !/^[\p{L}\p{N}_-]+$/u.test(v.slug)) throw new UsageError(`--slug "${v.slug}" may hold only letters, digits, - and _`)
  return {
    inputs: positionals, out: v.out, slug: v.slug, attribution: v.attribution, force: v.force ?? false,
    levelProperty: v['level-property'], root: v.root, tolerance,
  }
}

/** Every input file: the paths given, folders expanded to their .geojson/.json files by name. */
function inputFiles(inputs: string[]): string[] {
  return inputs.flatMap((input) => {
    if (!existsSync(input)) throw new UsageError(`${input}: no such file or folder`)
    if (!statSync(input).isDirectory()) return [input]
    const files = readdirSync(input).filter((f) => /\.(geo)?json$/i.test(f)).sort().map((f) => join(input, f))
    if (files.length === 0) throw new UsageError(`${input}: the folder holds no .geojson or .json files`)
    return files
  })
}

function readSources(files: string[]): { sources: SourceFeature[]; issues: RegionIssue[] } {
  const sources: SourceFeature[] = []
  const issues: RegionIssue[] = []
  for (const file of files) {
    let json: unknown
    try {
      json = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      issues.push({ index: -1, code: '', file, message: `cannot read: ${(err as Error).message}` })
      continue
    }
    const read = sourceFeatures(json, file)
    console.log(`read ${file}: ${read.sources.length} feature${read.sources.length === 1 ? '' : 's'}`)
    sources.push(...read.sources)
    issues.push(...read.issues)
  }
  return { sources, issues }
}

function slugOf(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
}

function outputPath(args: Args, rootCode: string, rootName: string): string {
  const inputName = args.inputs.length === 1 ? slugOf(basename(args.inputs[0]!, extname(args.inputs[0]!))) : ''
  const slug = args.slug ?? (slugOf(rootName) || (/[a-z]/.test(inputName) ? inputName : 'regions'))
  const name = `${rootCode}-${slug}.geojson`
  if (args.out === undefined) return join(REGIONS_DIR, name)
  return existsSync(args.out) && statSync(args.out).isDirectory() ? join(args.out, name) : args.out
}

function main(argv: string[]): number {
  const args = parse(argv)
  if (args === 'help') {
    console.log(USAGE)
    return 0
  }
  const read = readSources(inputFiles(args.inputs))
  // A file that cannot be read would only add a "missing parent" for each of its children.
  const result = read.issues.length > 0 ? undefined : importRegions(read.sources, args)
  if (result) console.log(`checked ${read.sources.length} features: ${LEVELS.filter((l, i) => i > 0 || result.counts[l] > 0).map((l) => `${l} ${result.counts[l]}`).join(' · ')}`)
  const issues = result?.issues ?? read.issues
  if (!result?.root || issues.length > 0) {
    console.error(`\n${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing written:`)
    for (const issue of issues.slice(0, MAX_SHOWN)) console.error(`  ${formatIssue(issue)}`)
    if (issues.length > MAX_SHOWN) console.error(`  … and ${issues.length - MAX_SHOWN} more`)
    return 1
  }
  const { root } = result
  const out = outputPath(args, root.code, root.name)
  if (existsSync(out) && !args.force) throw new UsageError(`${out} exists; pass --force to overwrite it, or --out to write elsewhere`)
  const fc: RegionCollection = {
    type: 'FeatureCollection', name: root.name, root: root.code,
    attribution: args.attribution ?? `imported from ${args.inputs.map((i) => basename(i)).join(', ')}`,
    features: result.features,
  }
  const text = JSON.stringify(fc)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(`${out}.tmp-${process.pid}`, text, 'utf8')
  renameSync(`${out}.tmp-${process.pid}`, out) // a reader never sees half a file
  console.log(`wrote ${out}: ${fc.features.length} features, ${(Buffer.byteLength(text) / 1024).toFixed(1)} kB, root ${root.code} ${root.name}`)
  const others = resolve(dirname(out)) === REGIONS_DIR ? readdirSync(REGIONS_DIR).filter((f) => f.endsWith('.geojson') && f !== basename(out)) : []
  if (others.length > 0) {
    console.log(`note: config/regions/ also holds ${others.join(', ')}; the server loads only one, so start it with REGIONS_FILE=${relative(process.cwd(), out)} or remove the others`)
  }
  return 0
}

try {
  process.exitCode = main(process.argv.slice(2))
} catch (err) {
  if (!(err instanceof UsageError)) throw err
  console.error(`import-regions: ${err.message}\nRun with --help for usage.`)
  process.exitCode = 2
}
