import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { carecityDist } from './build/dist-plugin.ts'
import { vantIconSubset } from './build/vant-icons.ts'

export default defineConfig({
  plugins: [vantIconSubset(), vue(), carecityDist()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n feature flags: composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_OPTIONS_API__: false,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: ['es2020', 'chrome87', 'safari14'],
    sourcemap: false,
    // The one chunk above 500 kB is ECharts ("charts", ~180 kB gzip), loaded only by the fund
    // summary's charts and never in 长辈模式; everything on the first screen stays far below.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than app code: one long-cached vendor file. ECharts (only
        // the fund summary's charts use it, never in 长辈模式) gets its own lazily loaded chunk.
        advancedChunks: {
          groups: [
            { name: 'charts', test: /[\\/]node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 2 },
            // jsQR decodes camera frames only on staff check-in without a BarcodeDetector.
            { name: 'qr', test: /[\\/]node_modules[\\/]jsqr[\\/]/, priority: 2 },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
})
