import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import PrefsSwitch from '@/components/PrefsSwitch.vue'
import { usePrefsEffects } from '@/composables/usePrefsEffects'
import { getAcceptLanguage, setAcceptLanguage } from '@/api/client'
import { ELDER_STORAGE_KEY } from '@/stores/prefs'
import { mountWithApp } from '../support/app'

/** PrefsSwitch inside a root that applies preferences, as App.vue does. */
const Host = defineComponent({
  setup() {
    usePrefsEffects()
    return () => h(PrefsSwitch)
  },
})

afterEach(() => {
  document.documentElement.className = ''
  document.body.innerHTML = ''
  window.localStorage.clear()
  setAcceptLanguage('zh-CN')
})

describe('PrefsSwitch', () => {
  it('turns 长辈模式 on and off: button state, <html> class and storage', async () => {
    const { wrapper } = await mountWithApp(Host)
    const button = wrapper.get('[data-test="toggle-elder"]')
    expect(button.text()).toBe('长辈模式')
    expect(button.attributes('aria-pressed')).toBe('false')
    expect(document.documentElement.classList.contains('elder')).toBe(false)

    await button.trigger('click')
    expect(button.attributes('aria-pressed')).toBe('true')
    expect(document.documentElement.classList.contains('elder')).toBe(true)
    expect(window.localStorage.getItem(ELDER_STORAGE_KEY)).toBe('1')

    await button.trigger('click')
    expect(document.documentElement.classList.contains('elder')).toBe(false)
    wrapper.unmount()
  })

  it('switches the language of the page, <html lang> and the API Accept-Language', async () => {
    const { wrapper, i18n } = await mountWithApp(Host)
    const button = wrapper.get('[data-test="toggle-locale"]')
    expect(button.text()).toBe('English')

    await button.trigger('click')
    expect(i18n.global.locale.value).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(getAcceptLanguage()).toBe('en')
    expect(wrapper.get('[data-test="toggle-elder"]').text()).toBe('Senior')
    expect(button.text()).toBe('中文')
    wrapper.unmount()
  })
})
