/**
 * Keeps 消息's unread count fresh for the tab bar's badge: asked on every route change and every
 * `POLL_MS` while someone is signed in (a guest's app asks nothing), and not while the page is in
 * the background. Used once, by App.vue.
 */
import { onBeforeUnmount, onMounted, watch } from 'vue'
import { useRoute } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { POLL_MS, useNotificationsStore } from '@/stores/notifications'

export function useUnreadPoll() {
  const route = useRoute()
  const auth = useAuthStore()
  const notifications = useNotificationsStore()
  let timer: ReturnType<typeof setInterval> | null = null

  function refresh(): void {
    if (auth.isLoggedIn && document.visibilityState !== 'hidden') {
      void notifications.refreshUnread()
    }
  }

  watch(() => route.fullPath, refresh)
  watch(() => auth.user?.id ?? null, refresh)
  onMounted(() => {
    void auth.ensureLoaded()
    timer = setInterval(refresh, POLL_MS)
  })
  onBeforeUnmount(() => {
    if (timer !== null) {
      clearInterval(timer)
    }
  })
}
