/**
 * Writes a brotli (.br) and a gzip (.gz) twin beside every text asset of the
 * client build, so the server sends compressed bytes without compressing on
 * each request (server/http/compress.ts picks the twin). Brotli at its best
 * quality for all but the map engines, where quality 10 is ~1.5 % larger and
 * three times faster (a build on two busy cores stays short).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { Plugin } from 'vite'

const TEXT = /\.(js|mjs|css|svg|json|geojson|txt|map|wasm)$/
/** Below this the headers outweigh what compression saves. */
const MIN_BYTES = 1024
const LARGE_BYTES = 256 * 1024
const br = promisify(brotliCompress)
const gz = promisify(gzip)

export function precompress(): Plugin {
  return {
    name: 'situation-room:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir
      if (!dir) return
      await Promise.all(Object.keys(bundle).filter((name) => TEXT.test(name)).map(async (name) => {
        const path = join(dir, name)
        const bytes = await readFile(path)
        if (bytes.length < MIN_BYTES) return
        const [brotli, gzipped] = await Promise.all([
          br(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: bytes.length > LARGE_BYTES ? 10 : constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
          gz(bytes, { level: constants.Z_BEST_COMPRESSION }),
        ])
        // a twin that saves nothing would only cost the client a decode
        if (brotli.length < bytes.length) await writeFile(`${path}.br`, brotli)
        if (gzipped.length < bytes.length) await writeFile(`${path}.gz`, gzipped)
      }))
    },
  }
}
