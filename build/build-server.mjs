// Compile the server and the simulators (with the demo that runs both, simulators/demo) to dist/server
// with tsc, and copy the Lua scripts beside the compiled modules that read
// them. Plain JavaScript, so `npm start` needs no TypeScript loader at run
// time. Skips the work when nothing changed since the last build
// (`--force` builds anyway).
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist/server')
const stamp = join(out, '.built')
const SOURCES = ['server', 'simulators']
const CONFIGS = ['tsconfig.json', 'tsconfig.server.json', 'package.json']

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else if (/\.(ts|lua)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) yield path
  }
}

const sources = SOURCES.flatMap((d) => [...files(join(root, d))])
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs), ...CONFIGS.map((f) => statSync(join(root, f)).mtimeMs))
const force = process.argv.includes('--force')
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= newest) process.exit(0)

const started = Date.now()
console.log('编译服务端 (building the server) → dist/server …')
const tscBin = join(root, 'node_modules/typescript/bin/tsc')
if (!existsSync(tscBin)) {
  console.error('dist/server is missing or older than the sources, and TypeScript (a dev dependency) is not installed here: run `npm run build` where it is, then ship dist/ with the app')
  process.exit(1)
}
const tsc = spawnSync(process.execPath, [tscBin, '-p', join(root, 'tsconfig.server.json')], { stdio: 'inherit' })
if (tsc.status !== 0) {
  console.error(`server build failed (tsc exit ${tsc.status ?? tsc.signal}): see the errors above`)
  process.exit(1)
}
let scripts = 0
for (const lua of sources.filter((f) => f.endsWith('.lua'))) {
  const target = join(out, relative(root, lua))
  mkdirSync(dirname(target), { recursive: true })
  copyFileSync(lua, target)
  scripts++
}
writeFileSync(stamp, `${new Date().toISOString()}\n`)
console.log(`服务端已编译 (server built) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${scripts} Lua scripts copied`)
