import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const SUBSET = fileURLToPath(new URL('../src/styles/vant-icons.css', import.meta.url))
const VANT_ICON_CSS = /[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/

/**
 * Serves our subset of Vant's icon CSS (src/styles/vant-icons.css, made by
 * scripts/subset-vant-icons.py) wherever Vant's component styles import the full one.
 * Saves ~28 KB gzip of render-blocking CSS on every first visit.
 */
export function vantIconSubset(): Plugin {
  return {
    name: 'carecity-vant-icon-subset',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('index.css')) {
        return null
      }
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      return resolved && VANT_ICON_CSS.test(resolved.id) ? SUBSET : null
    },
  }
}
