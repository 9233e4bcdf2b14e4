import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useNoticeStore } from '@/stores/notice'

beforeEach(() => setActivePinia(createPinia()))

describe('notice store', () => {
  it('drops an ordinary notice on the next navigation', () => {
    const notices = useNoticeStore()
    notices.show('me.loggedOut')
    notices.onNavigate()
    expect(notices.current).toBeNull()
  })

  it('carries a notice across exactly one navigation', () => {
    const notices = useNoticeStore()
    notices.show('recover.success', { carry: true })
    notices.onNavigate()
    expect(notices.current).toMatchObject({ key: 'recover.success', carry: false })
    notices.onNavigate()
    expect(notices.current).toBeNull()
  })
})
