/** Mounts a component the way main.ts sets the app up, with a memory-history router. */
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { createAppI18n, type Locale } from '@/locales'
import en from '@/locales/en'
import { routes } from '@/router'
import { installVant } from '@/vant'

export async function mountWithApp(component: Component, options: { path?: string; locale?: Locale } = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = createAppI18n(options.locale ?? 'zh-CN', { en })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(options.path ?? '/')
  await router.isReady()
  const wrapper = mount(component, {
    attachTo: document.body,
    global: {
      plugins: [pinia, i18n, router, { install: installVant }],
    },
  })
  return { wrapper, router, pinia, i18n }
}

/** Lets pending promises (fetch stubs, store actions) settle, then Vue re-render. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
