/*
 * CareCity service worker (hand-written). Caches the app shell so the site opens quickly on a
 * slow phone connection and still opens offline:
 *   - navigations / index.html: network first, falling back to the cached shell;
 *   - /assets/* (content-hashed): cache first — a hashed file never changes;
 *   - /api/*: never touched, never cached (always live, always the session's own data).
 * The build stamps BUILD_ID and PRECACHE (see build/dist-plugin.ts), so each deploy installs a
 * new worker and drops the previous deploy's caches.
 */
const BUILD_ID = '__CARECITY_BUILD_ID__'
const PRECACHE = [/*__CARECITY_PRECACHE__*/]
const CACHE = `carecity-shell-${BUILD_ID}`
const SHELL_URL = '/index.html'

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      await cache.addAll([SHELL_URL, ...PRECACHE])
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys()
      await Promise.all(
        names.filter((name) => name.startsWith('carecity-') && name !== CACHE).map((name) => caches.delete(name)),
      )
      await self.clients.claim()
    })(),
  )
})

async function networkFirstShell(request) {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok && response.headers.get('Content-Type')?.includes('text/html')) {
      await cache.put(SHELL_URL, response.clone())
    }
    return response
  } catch (error) {
    const cached = await cache.match(SHELL_URL)
    if (cached) {
      return cached
    }
    throw error
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(request)
  if (cached) {
    return cached
  }
  const response = await fetch(request)
  if (response.ok) {
    await cache.put(request, response.clone())
  }
  return response
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') {
    return
  }
  const url = new URL(request.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return
  }
  if (request.mode === 'navigate' || url.pathname === SHELL_URL || url.pathname === '/') {
    event.respondWith(networkFirstShell(request))
    return
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request))
  }
})
