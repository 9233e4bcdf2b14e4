import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n, loadLocaleMessages } from './locales'
import { createAppRouter, preloadRoute } from './router'
import { useMetaStore } from './stores/meta'
import { usePrefsStore } from './stores/prefs'
import { installVant } from './vant'
import { nextTask } from './time/nextTask'
import './styles/theme.css'
import './styles/base.css'

const app = createApp(App)
app.use(createPinia())
// Meta at startup, not only when a gated section opens: it carries the time zone every page
// shows times in (a failure keeps the default, and the guard retries).
void useMetaStore().load()
app.use(i18n)
const router = createAppRouter()
// The first page's code downloads while /meta is on its way (the guard waits for /meta).
void preloadRoute(router, window.location.pathname + window.location.search)
app.use(router)
installVant(app)
// A reader who chose English gets the page in English from the start (its messages are a chunk of
// their own); for everyone else this resolves at once.
void loadLocaleMessages(i18n.global, usePrefsStore().locale)
  .catch((error: unknown) => console.warn('could not load the chosen language', error))
  // Mounting renders the whole first page: a task of its own, after the scripts' evaluation, so
  // the phone can paint and take a tap in between instead of one long task doing both.
  .finally(() => nextTask().then(() => app.mount('#app')))

// The service worker only exists in production builds: in dev it would cache Vite's modules.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn('service worker registration failed', error)
    })
  })
}
