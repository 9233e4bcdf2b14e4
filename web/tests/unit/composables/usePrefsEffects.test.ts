import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { useI18n } from 'vue-i18n'
import { usePrefsEffects } from '@/composables/usePrefsEffects'
import { createAppI18n } from '@/locales'
import { usePrefsStore } from '@/stores/prefs'

afterEach(() => {
  window.localStorage.clear()
  document.documentElement.lang = 'zh-CN'
})

const Probe = defineComponent({
  setup() {
    usePrefsEffects()
    const { t } = useI18n()
    return () => h('p', t('nav.home'))
  },
})

describe('usePrefsEffects', () => {
  it('fetches English the first time it is chosen, then shows the page in it', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const i18n = createAppI18n('zh-CN')
    expect(i18n.global.availableLocales).toEqual(['zh-CN'])
    const wrapper = mount(Probe, { global: { plugins: [pinia, i18n] } })
    expect(wrapper.text()).toBe('首页')
    usePrefsStore().setLocale('en')
    await vi.waitFor(() => expect(i18n.global.locale.value).toBe('en'))
    expect(i18n.global.availableLocales).toContain('en')
    expect(document.documentElement.lang).toBe('en')
    await wrapper.vm.$nextTick()
    expect(wrapper.text()).toBe('Home')
  })

  it('stays in Chinese when the reader switches back before English arrived', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const i18n = createAppI18n('zh-CN')
    mount(Probe, { global: { plugins: [pinia, i18n] } })
    const prefs = usePrefsStore()
    prefs.setLocale('en')
    await nextTick()
    prefs.setLocale('zh-CN')
    await nextTick()
    await vi.waitFor(() => expect(i18n.global.availableLocales).toContain('en'))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
  })
})
