import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config'

/** Unit tests: stores, api client and components, in happy-dom. */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ['tests/unit/**/*.test.ts'],
      environment: 'happy-dom',
      setupFiles: ['tests/unit/setup.ts'],
      restoreMocks: true,
      unstubGlobals: true,
      reporters: ['default', 'json'],
      outputFile: { json: process.env.VITEST_UNIT_JSON || 'test-results/unit.json' },
      server: { deps: { inline: ['vant'] } },
    },
  }),
)
