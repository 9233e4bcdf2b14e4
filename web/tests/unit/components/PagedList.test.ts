import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import PagedList from '@/components/PagedList.vue'
import { ok, type Result } from '@/stores/result'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
})

/** A list whose pages answer when the test says so. */
function harness() {
  const answers: Array<() => void> = []
  const items = ref<number[]>([])
  const finished = ref(false)
  const load = (): Promise<Result> =>
    new Promise((resolve) => {
      answers.push(() => {
        items.value = [...items.value, items.value.length + 1]
        finished.value = items.value.length >= 2
        resolve(ok())
      })
    })
  const Host = defineComponent({
    setup() {
      const list = ref<InstanceType<typeof PagedList> | null>(null)
      return { list, reload: () => list.value?.reload() }
    },
    render() {
      return h(PagedList, { ref: 'list', finished: finished.value, load, endText: '没有更多了' }, () =>
        items.value.map((n) => h('article', { key: n, class: 'item' }, String(n))),
      )
    },
  })
  return { Host, answers, items, finished }
}

describe('PagedList', () => {
  it('keeps the first page’s loading line in a screen-tall box that leaves with it, so the cards do not push anything down', async () => {
    const { Host, answers } = harness()
    const { wrapper } = await mountWithApp(Host)
    await settle()
    expect(wrapper.get('[data-test="paged-list-first"]').text()).toContain('正在加载')
    // Vant's own status line stays empty meanwhile (it would move down as the cards arrive).
    expect(wrapper.find('.van-list__loading').text()).toBe('')
    answers.shift()?.()
    await settle()
    expect(wrapper.findAll('.item')).toHaveLength(1)
    expect(wrapper.find('[data-test="paged-list-first"]').exists()).toBe(false)
    // Later pages load under the cards with Vant's loading line.
    expect(wrapper.get('.van-list__loading').text()).toContain('正在加载')
  })

  it('holds the screen-tall box again while a reload’s first page is on its way', async () => {
    const { Host, answers, items, finished } = harness()
    const { wrapper } = await mountWithApp(Host)
    await settle()
    answers.shift()?.()
    await settle()
    answers.shift()?.()
    await settle()
    expect(wrapper.text()).toContain('没有更多了')
    items.value = []
    finished.value = false
    void (wrapper.vm as unknown as { reload: () => Promise<void> }).reload()
    await settle()
    expect(wrapper.find('[data-test="paged-list-first"]').exists()).toBe(true)
  })
})
