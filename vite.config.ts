import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { precompress } from './build/precompress-plugin.ts'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

// The client is the Vite root; the server serves dist/client in production.
// vitest reads the `test` block and runs from the repository root.
export default defineConfig({
  root: here('./client'),
  plugins: [vue(), precompress()],
  resolve: { alias: { '@domain': here('./server/domain'), '@client': here('./client') } },
  build: {
    outDir: here('./dist/client'),
    emptyOutDir: true,
    // mapbox-gl (~1.9 MB, fetched only by a wall with a Mapbox token) is the one chunk above 1.1 MB
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own: a release that changes the app leaves them cached, and
        // the map engine and the charts load beside the page's own code instead of inside it.
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/, priority: 3 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 3 },
            { name: 'vendor', test: /node_modules[\\/](@vue|vue|vue-router|pinia|socket\.io-client|engine\.io-client|socket\.io-parser|engine\.io-parser|@socket\.io)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } } },
  test: {
    root: here('.'),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    testTimeout: 30_000,
    // browser tests poll the page; on 2 busy cores a panel can take seconds to draw (SwiftShader)
    expect: { poll: { timeout: 15_000, interval: 100 } },
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
})
