// Generates the PWA icons in public/icons/ (run: node scripts/make-icons.mjs).
// A white heart on the brand red, drawn with an implicit curve and 4×4 supersampling, written
// as PNG with node:zlib — no image tooling needed. The outputs are committed; rerun after edits.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons')
const BRAND = [0xc6, 0x28, 0x28]
const WHITE = [0xff, 0xff, 0xff]

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
function png(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// Heart curve (x²+y²−1)³ − x²y³ ≤ 0, y pointing up; spans about x∈[−1.14,1.14], y∈[−1,1.24].
function inHeart(x, y) {
  const a = x * x + y * y - 1
  return a * a * a - x * x * y * y * y <= 0
}

// Rounded square mask in unit coordinates [0,1]², corner radius r.
function inRoundedSquare(u, v, r) {
  const dx = Math.max(r - u, 0, u - (1 - r))
  const dy = Math.max(r - v, 0, v - (1 - r))
  return dx * dx + dy * dy <= r * r
}

/** heartScale: fraction of the icon the heart's width takes. rounded: transparent corners. */
function draw(size, { heartScale, rounded }) {
  const rgba = Buffer.alloc(size * size * 4)
  const S = 4
  const halfWidth = 1.14
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0
      let heart = 0
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (px + (sx + 0.5) / S) / size
          const v = (py + (sy + 0.5) / S) / size
          if (rounded && !inRoundedSquare(u, v, 0.2)) continue
          bg++
          const x = ((u - 0.5) * 2 * halfWidth) / heartScale
          const y = (-(v - 0.5) * 2 * halfWidth) / heartScale + 0.12
          if (inHeart(x, y)) heart++
        }
      }
      const i = (py * size + px) * 4
      const t = bg === 0 ? 0 : heart / bg
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(BRAND[c] * (1 - t) + WHITE[c] * t)
      rgba[i + 3] = Math.round((255 * bg) / (S * S))
    }
  }
  return png(size, rgba)
}

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" rx="20" fill="#c62828"/>
<path fill="#fff" d="M50 79C31 65 21 54 21 41c0-9 7-16 15-16 6 0 11 3 14 8 3-5 8-8 14-8 8 0 15 7 15 16 0 13-10 24-29 38z"/>
</svg>
`

mkdirSync(OUT, { recursive: true })
const outputs = {
  'icon-192.png': draw(192, { heartScale: 0.62, rounded: true }),
  'icon-512.png': draw(512, { heartScale: 0.62, rounded: true }),
  'icon-maskable-512.png': draw(512, { heartScale: 0.5, rounded: false }),
  'apple-touch-icon.png': draw(180, { heartScale: 0.6, rounded: false }),
  'favicon-32.png': draw(32, { heartScale: 0.7, rounded: true }),
  'icon.svg': Buffer.from(SVG),
}
for (const [name, data] of Object.entries(outputs)) {
  writeFileSync(join(OUT, name), data)
  console.log(`${name}: ${data.length} bytes`)
}
