// Prints the public pages `make lighthouse` measures, one "NAME PATH" a line, asking the demo
// server at argv[2] for the ids of the pages that need one (they are random per seed).
// Paths follow web/src/router; a page whose list comes back empty is left out with a warning.
const base = process.argv[2]

async function get(path) {
  const res = await fetch(`${base}/api/v1${path}`)
  if (!res.ok) {
    throw new Error(`GET ${path}: ${res.status}`)
  }
  return res.json()
}

const pages = [
  ['home', '/'],
  ['news', '/news'],
  ['news-article', async () => `/news/${(await get('/news/articles')).articles[0].id}`],
  [
    'forum-thread',
    async () => {
      // The busiest of the latest topics: the thread page with the most floors to render.
      const { threads } = await get('/forum/threads?limit=50')
      const busiest = threads.reduce((a, b) => (b.replies > a.replies ? b : a))
      return `/forum/threads/${busiest.id}`
    },
  ],
  ['fund', '/fund'],
  ['events', '/events'],
  ['event', async () => `/events/${(await get('/events')).events[0].id}`],
  ['shop', '/shop'],
  ['auction', '/auction'],
  ['lot', async () => `/auction/lots/${(await get('/auction/lots')).lots[0].id}`],
]

for (const [name, path] of pages) {
  try {
    console.log(`${name} ${typeof path === 'string' ? path : await path()}`)
  } catch (error) {
    console.error(`lighthouse: ${name} left out: ${error.message}`)
  }
}
