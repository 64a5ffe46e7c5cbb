import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

// The client is the Vite root; the server serves dist/client in production.
// vitest reads the `test` block and runs from the repository root.
export default defineConfig({
  root: here('./client'),
  plugins: [vue()],
  resolve: { alias: { '@domain': here('./server/domain'), '@client': here('./client') } },
  build: { outDir: here('./dist/client'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
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
