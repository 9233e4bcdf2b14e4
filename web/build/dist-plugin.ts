import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** Files worth precompressing: text formats only; images and fonts are already compressed. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/
/** Below this size the .gz/.br siblings save less than a TCP packet. */
const MIN_BYTES = 1024

const SW_FILE = 'sw.js'
const BUILD_ID_PLACEHOLDER = '__CARECITY_BUILD_ID__'
const PRECACHE_PLACEHOLDER = '[/*__CARECITY_PRECACHE__*/]'

function listFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      out.push(...listFiles(path))
    } else {
      out.push(path)
    }
  }
  return out
}

function toUrlPath(root: string, file: string): string {
  return '/' + relative(root, file).split(sep).join('/')
}

/**
 * Stamps the hand-written service worker with this build's id and asset list, so every
 * deploy changes sw.js bytes (the browser then installs the new worker and drops old caches).
 */
function stampServiceWorker(outDir: string): void {
  const swPath = join(outDir, SW_FILE)
  const source = readFileSync(swPath, 'utf8')
  const assets = listFiles(join(outDir, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f))
    // The ECharts chunk (fund summary charts only) is cached when first used, not precached:
    // most visits, and every 长辈模式 visit, never need its ~180 KB.
    .filter((f) => !/[\\/]charts-[^\\/]*\.js$/.test(f))
    .map((f) => toUrlPath(outDir, f))
    .sort()
  const buildId = createHash('sha256')
    .update(readFileSync(join(outDir, 'index.html')))
    .update(assets.join('\n'))
    .digest('hex')
    .slice(0, 16)
  if (!source.includes(BUILD_ID_PLACEHOLDER) || !source.includes(PRECACHE_PLACEHOLDER)) {
    throw new Error(`${SW_FILE} is missing its build placeholders`)
  }
  writeFileSync(
    swPath,
    source.replace(BUILD_ID_PLACEHOLDER, buildId).replace(PRECACHE_PLACEHOLDER, JSON.stringify(assets)),
  )
}

/** Writes foo.js.gz and foo.js.br next to every compressible file in dist. */
function precompress(outDir: string): void {
  for (const file of listFiles(outDir)) {
    if (!COMPRESSIBLE.test(file)) {
      continue
    }
    const data = readFileSync(file)
    if (data.length < MIN_BYTES) {
      continue
    }
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }))
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(data, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
    )
  }
}

/** Build-only post-processing of dist: service-worker stamping, then precompression. */
export function carecityDist(): Plugin {
  let outDir = 'dist'
  return {
    name: 'carecity-dist',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      stampServiceWorker(outDir)
      precompress(outDir)
    },
  }
}
