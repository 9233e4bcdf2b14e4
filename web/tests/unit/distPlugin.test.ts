import { describe, expect, it } from 'vitest'
import { lowPriorityScripts } from '../../build/dist-plugin'

// What Vite writes into dist/index.html: the entry, its modulepreloads, its stylesheets.
const BUILT = `<head>
    <link rel="preload" href="/api/v1/meta" as="fetch" crossorigin="anonymous" />
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/vendor-def.js">
    <link rel="modulepreload" crossorigin href="/assets/auth-123.js">
    <link rel="stylesheet" crossorigin href="/assets/index-456.css">
  </head>`

describe('lowPriorityScripts', () => {
  it('lowers the entry script and every modulepreload, and nothing else', () => {
    const html = lowPriorityScripts(BUILT)
    expect(html).toContain('<script type="module" fetchpriority="low" crossorigin src="/assets/index-abc.js">')
    expect(html.match(/<link rel="modulepreload" fetchpriority="low"/g)).toHaveLength(2)
    // The stylesheets and the /meta preload keep their priority: the first paint waits for CSS.
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/index-456.css">')
    expect(html).toContain('<link rel="preload" href="/api/v1/meta" as="fetch" crossorigin="anonymous" />')
  })

  it('leaves a tag that already names its priority alone', () => {
    const once = lowPriorityScripts(BUILT)
    expect(lowPriorityScripts(once)).toBe(once)
    const high = '<script type="module" fetchpriority="high" src="/a.js"></script>'
    expect(lowPriorityScripts(high)).toBe(high)
  })
})
