import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Post, Thread } from '@/api/forum'
import ForumPage from '@/pages/forum/ForumPage.vue'
import NewThreadPage from '@/pages/forum/NewThreadPage.vue'
import SearchPage from '@/pages/forum/SearchPage.vue'
import ThreadPage from '@/pages/forum/ThreadPage.vue'
import NotificationsPage from '@/pages/me/NotificationsPage.vue'
import PictureButton from '@/components/forum/PictureButton.vue'
import { usePrefsStore } from '@/stores/prefs'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const NOW = 1_790_000_000_000
const author = (nickname: string, badge: string | null = null) => ({
  nickname,
  badge: badge === null ? null : { kind: 'org' as const, org_id: 2, org_name: badge },
  level: { level: 3, name: '热心居民' },
})

const thread = (overrides: Partial<Thread> = {}): Thread => ({
  id: 12,
  board: { id: 1, name: '居民议事' },
  title: '关于小区加装电梯的意见征集',
  kind: 'question',
  status: 'visible',
  status_reason: null,
  sticky: false,
  digest: true,
  locked: false,
  views: 1197,
  replies: 2,
  solved_post_id: null,
  author: author('陈阿姨'),
  created_at_ms: NOW,
  page: 1,
  pages: 1,
  can: { reply: true, moderate: false, solve: true, report: true },
  ...overrides,
})

const post = (floor: number, overrides: Partial<Post> = {}): Post => ({
  id: 39 + floor,
  floor,
  author: author(floor === 1 ? '陈阿姨' : '博睿社工', floor === 1 ? null : '桂城博睿社会工作服务中心'),
  body_html: `<p>第 ${floor} 楼的内容</p>`,
  quote: null,
  likes: 2,
  liked: false,
  status: 'visible',
  status_reason: null,
  mine: floor === 1,
  created_at_ms: NOW,
  edited_at_ms: null,
  ...overrides,
})

const floors = () => [
  post(1),
  post(2, { quote: { post_id: 40, floor: 1, nickname: '陈阿姨', excerpt: '第 1 楼的内容' } }),
  post(3, { body_html: '', status: 'hidden', status_reason: '人身攻击', author: author('路人甲') }),
]

const me = jsonResponse(200, { user: sampleUser })

describe('thread page', () => {
  it('shows the floors: 楼主, the author’s level and 认证机构 badge, the quote, and a hidden floor with its reason', async () => {
    stubFetch({ 'GET /api/v1/me': me, 'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }) })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    expect(wrapper.find('[data-test="thread-title"]').text()).toContain('关于小区加装电梯的意见征集')
    expect(wrapper.find('[data-test="tag-digest"]').text()).toBe('精华')
    expect(wrapper.find('[data-test="thread-stats"]').text()).toBe('查看 1197 | 回复 2')
    expect(wrapper.find('[data-test="floor-no-1"]').text()).toBe('1楼 · 楼主')
    expect(wrapper.find('[data-test="floor-no-2"]').text()).toBe('2楼')
    expect(wrapper.find('[data-test="floor-author-2"]').text()).toContain('Lv3 热心居民')
    expect(wrapper.find('[data-test="floor-author-2-badge"]').text()).toBe('认证机构：桂城博睿社会工作服务中心')
    expect(wrapper.find('[data-test="floor-body-1"]').html()).toContain('<p>第 1 楼的内容</p>')
    expect(wrapper.find('[data-test="floor-quote-2"]').text()).toContain('引用 1楼 陈阿姨 的发言：')
    expect(wrapper.find('[data-test="floor-gone-3"]').text()).toBe('该楼层已被屏蔽：人身攻击')
    expect(wrapper.find('[data-test="floor-body-3"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="floor-like-3"]').exists()).toBe(false)
    // The question's author may accept a reply, not the opening post.
    expect(wrapper.find('[data-test="floor-accept-1"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="floor-accept-2"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="reply-box"]').exists()).toBe(true)
  })

  it('likes a floor and takes the like back with a second tap, showing the server’s count', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }),
      'POST /api/v1/forum/posts/41/like': jsonResponse(200, { post: { id: 41, likes: 3, liked: true } }),
      'DELETE /api/v1/forum/posts/41/like': jsonResponse(200, { post: { id: 41, likes: 2, liked: false } }),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    const like = () => wrapper.find('[data-test="floor-like-2"]')
    expect(like().text()).toBe('赞 2')
    await like().trigger('click')
    await settle()
    expect(like().text()).toBe('赞 3')
    expect(like().attributes('aria-pressed')).toBe('true')
    await like().trigger('click')
    await settle()
    expect(like().text()).toBe('赞 2')
    expect(requests.filter((r) => r.url.includes('/like')).map((r) => r.method)).toEqual(['POST', 'DELETE'])
    // One's own floor cannot be liked.
    expect(wrapper.find('[data-test="floor-like-1"]').attributes('disabled')).toBeDefined()
  })

  it('reports a floor from the sheet: a reason is required, then reason and detail go as one line', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }),
      'POST /api/v1/forum/reports': jsonResponse(201, { report: { id: 3, status: 'open' } }),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    await wrapper.find('[data-test="floor-report-2"]').trigger('click')
    await settle()
    const form = () => document.body.querySelector<HTMLFormElement>('[data-test="report-form"]')
    expect(form()).not.toBeNull()
    form()!.dispatchEvent(new Event('submit'))
    await settle()
    expect(document.body.querySelector('[data-test="report-error"]')?.textContent).toBe('请选择举报原因')
    expect(requests.some((r) => r.method === 'POST')).toBe(false)

    document.body.querySelector<HTMLElement>('[data-test="report-reason-abuse"]')!.click()
    const detail = document.body.querySelector<HTMLTextAreaElement>('[data-test="report-detail"]')!
    detail.value = '骂人'
    detail.dispatchEvent(new Event('input'))
    await settle()
    form()!.dispatchEvent(new Event('submit'))
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ target: { kind: 'post', id: 41 }, reason: '人身攻击：骂人' })
    expect(form()).toBeNull()
  })

  it('in 长辈模式 opens the report form on the page, under the floor, not in a sheet', async () => {
    stubFetch({ 'GET /api/v1/me': me, 'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }) })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    usePrefsStore().elderMode = true
    await settle()
    await wrapper.find('[data-test="floor-report-2"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="report-form"]').exists()).toBe(true)
    expect(document.body.querySelector('[data-test="report-sheet"]')).toBeNull()
  })

  it('quotes a floor into 快速回复 and sends quote_post_id; a refused word is marked in the text', async () => {
    const body = '👍 同意楼主，赌博的事也说说'
    const at = body.indexOf('赌博')
    const begin = new TextEncoder().encode(body.slice(0, at)).length
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }),
      'POST /api/v1/forum/threads/12/posts': jsonResponse(422, {
        error: { code: 'forum.sensitive_word', message: '内容含有不能发布的文字', field: 'body_md', span: { begin, end: begin + 6 }, word: '赌博' },
      }),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    await wrapper.find('[data-test="floor-reply-1"]').trigger('click')
    expect(wrapper.find('[data-test="reply-quoting"]').text()).toBe('回复 1楼 陈阿姨')
    await wrapper.find('[data-test="reply-body"]').setValue(body)
    await wrapper.find('[data-test="reply-box"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ body_md: body, quote_post_id: 40 })
    expect(wrapper.find('[data-test="reply-error"]').text()).toBe('“赌博”不能发布，请修改标红的文字')
    expect(wrapper.find('[data-test="reply-refused-mark"]').text()).toBe('赌博')
  })

  it('编辑 opens 快速回复 with my floor’s text and the title, saves them, and shows 已编辑 with the time', async () => {
    const mine = post(1, { body_md: '第 1 楼的内容' })
    const saved = { ...mine, body_html: '<p>改过的内容</p>', body_md: '改过的内容', edited_at_ms: NOW + 60_000 }
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: [mine, post(2, { body_md: undefined })] }),
      'PATCH /api/v1/forum/posts/40': jsonResponse(200, { post: saved, thread: { ...thread(), title: '新的标题' } }),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    // Only one's own floor has 编辑.
    expect(wrapper.find('[data-test="floor-edit-2"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="floor-edited-1"]').exists()).toBe(false)
    await wrapper.find('[data-test="floor-edit-1"]').trigger('click')
    expect((wrapper.find('[data-test="reply-body"]').element as HTMLTextAreaElement).value).toBe('第 1 楼的内容')
    expect((wrapper.find('[data-test="reply-title"]').element as HTMLInputElement).value).toBe('关于小区加装电梯的意见征集')
    expect(wrapper.find('[data-test="reply-submit"]').text()).toBe('保存修改')
    await wrapper.find('[data-test="reply-title"]').setValue('新的标题')
    await wrapper.find('[data-test="reply-body"]').setValue('改过的内容')
    await wrapper.find('[data-test="reply-box"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ body_md: '改过的内容', title: '新的标题' })
    expect(wrapper.find('[data-test="floor-body-1"]').html()).toContain('改过的内容')
    expect(wrapper.find('[data-test="floor-edited-1"]').text()).toMatch(/^已编辑 /)
    expect(wrapper.find('[data-test="thread-title"]').text()).toContain('新的标题')
    // Back to 快速回复.
    expect(wrapper.find('[data-test="reply-title"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="reply-submit"]').text()).toBe('回复')
  })

  it('a refused edit says why and keeps the text; 取消编辑 goes back to 快速回复', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: [post(1, { floor: 1, body_md: '原文' })] }),
      'PATCH /api/v1/forum/posts/40': errorResponse(409, 'forum.thread_locked', '该帖已锁定，不能回复或编辑'),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    await wrapper.find('[data-test="floor-edit-1"]').trigger('click')
    await wrapper.find('[data-test="reply-body"]').setValue('新的')
    await wrapper.find('[data-test="reply-box"]').trigger('submit')
    await settle()
    expect(wrapper.find('[data-test="reply-error"]').text()).not.toBe('')
    expect((wrapper.find('[data-test="reply-body"]').element as HTMLTextAreaElement).value).toBe('新的')
    expect(wrapper.find('[data-test="floor-edited-1"]').exists()).toBe(false)
    await wrapper.find('[data-test="reply-cancel-edit"]').trigger('click')
    expect((wrapper.find('[data-test="reply-body"]').element as HTMLTextAreaElement).value).toBe('')
    expect(wrapper.find('[data-test="reply-submit"]').text()).toBe('回复')
  })

  it('adds an uploaded picture to 快速回复 as a paragraph of its own; a member below trust level 1 is told why not', async () => {
    const url = '/media/images/abcdefghijklmnopqrst/full.webp'
    let uploads = 0
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }),
      // The first picture is taken; by the second, say, a moderator has taken the trust back.
      'POST /api/v1/forum/images': () =>
        ++uploads === 1
          ? jsonResponse(201, { image: { id: 'abcdefghijklmnopqrst', url, thumb_url: url, width: 64, height: 48 } })
          : errorResponse(403, 'forum.links_need_trust', ''),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    await wrapper.find('[data-test="reply-body"]').setValue('院子里的花开了')
    const pick = wrapper.findComponent(PictureButton)
    expect(pick.vm.beforeRead(new File(['GIF89a'], 'a.gif', { type: 'image/gif' }))).toBe(false)
    await settle()
    expect(wrapper.get('[data-test="reply-picture-refused"]').text()).toBe('“a.gif”不是 JPG、PNG 或 WebP 图片')
    expect(requests.filter((r) => r.method === 'POST')).toEqual([])
    pick.vm.beforeRead(new File([new Uint8Array([0xff, 0xd8, 0xff])], 'flower.jpg', { type: 'image/jpeg' }))
    await settle()
    expect((wrapper.get('[data-test="reply-body"]').element as HTMLTextAreaElement).value).toBe(`院子里的花开了\n\n![图片](${url})\n`)
    expect(wrapper.find('[data-test="reply-picture-refused"]').exists()).toBe(false)
    pick.vm.beforeRead(new File([new Uint8Array([0xff, 0xd8, 0xff])], 'more.jpg', { type: 'image/jpeg' }))
    await settle()
    expect(wrapper.get('[data-test="reply-picture-refused"]').text()).toBe('新用户暂时不能发链接和图片，达到信任等级 1 后就可以了')
  })

  it('lets the question’s author accept a reply: 已解决 and 最佳答案, the page’s own rights kept', async () => {
    const { can: _can, page: _page, pages: _pages, ...state } = thread({ solved_post_id: 41 })
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread(), posts: floors() }),
      'POST /api/v1/forum/threads/12/solve': jsonResponse(200, { thread: state }),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    expect(wrapper.find('[data-test="tag-question"]').text()).toBe('提问')
    await wrapper.find('[data-test="floor-accept-2"]').trigger('click')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ post_id: 41 })
    expect(wrapper.find('[data-test="tag-question"]').text()).toBe('已解决')
    expect(wrapper.find('[data-test="floor-answer-2"]').text()).toBe('最佳答案')
    expect(wrapper.find('[data-test="floor-accept-2"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="reply-box"]').exists()).toBe(true)
  })

  it('shows a moderator the topic’s and the floors’ actions', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/threads/12': jsonResponse(200, { thread: thread({ can: { reply: true, moderate: true, solve: false, report: true } }), posts: floors() }),
      'POST /api/v1/forum/sanctions': jsonResponse(201, { sanction: { kind: 'mute', reason: '刷屏', ends_at_ms: NOW } }),
    })
    const { wrapper } = await mountWithApp(ThreadPage, { path: '/forum/threads/12' })
    await settle()
    expect(wrapper.find('[data-test="thread-mod-sticky"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="thread-mod-undigest"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="thread-mod-lock"]').exists()).toBe(true)
    await wrapper.find('[data-test="floor-moderate-3"]').trigger('click')
    expect(wrapper.find('[data-test="mod-action-unhide"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="mod-action-mute"]').exists()).toBe(true)
    await wrapper.find('[data-test="mod-action-mute"]').trigger('click')
    await wrapper.find('[data-test="floor-mod-3"]').trigger('submit')
    expect(wrapper.find('[data-test="mod-error"]').text()).toBe('请填写理由')
  })
})

describe('new thread page: the server’s refusals', () => {
  async function refusedWith(response: Response, title = '小区停车', body = '大家说说停车的事') {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/boards': jsonResponse(200, { boards: [{ id: 1, name: '居民议事', description: '', org: null, threads: 1, moderators: [], moderate: false }] }),
      'POST /api/v1/forum/boards/1/threads': response,
    })
    const { wrapper } = await mountWithApp(NewThreadPage, { path: '/forum/boards/1/new' })
    await settle()
    await wrapper.find('[data-test="compose-title"]').setValue(title)
    await wrapper.find('[data-test="compose-body"]').setValue(body)
    await wrapper.find('[data-test="compose-form"]').trigger('submit')
    await settle()
    return wrapper
  }

  it('names the board and checks the fields before sending', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/boards': jsonResponse(200, { boards: [{ id: 1, name: '居民议事', description: '', org: null, threads: 1, moderators: [], moderate: false }] }),
    })
    const { wrapper } = await mountWithApp(NewThreadPage, { path: '/forum/boards/1/new' })
    await settle()
    expect(wrapper.find('[data-test="compose-board"]').text()).toBe('发到“居民议事”')
    await wrapper.find('[data-test="compose-form"]').trigger('submit')
    expect(wrapper.find('[data-test="compose-title-error"]').text()).toBe('请填写标题')
    expect(wrapper.find('[data-test="compose-body-error"]').text()).toBe('请填写正文')
    expect(requests.filter((r) => r.method === 'POST')).toEqual([])
  })

  it('forum.phone_not_verified: the server’s message and the way to 我的', async () => {
    const wrapper = await refusedWith(errorResponse(403, 'forum.phone_not_verified', '请先验证手机号'))
    expect(wrapper.find('[data-test="compose-error-forum.phone_not_verified"]').text()).toBe('请先验证手机号')
    expect(wrapper.find('[data-test="compose-verify"]').exists()).toBe(true)
  })

  it('forum.muted: the end of the mute', async () => {
    const wrapper = await refusedWith(jsonResponse(403, { error: { code: 'forum.muted', message: '你已被禁言', field: null, detail: { ends_at_ms: NOW } } }))
    const text = wrapper.find('[data-test="compose-error-forum.muted"]').text()
    expect(text).toMatch(/^你正在被禁言，.+ 后才能发帖和回复$/)
    expect(text).toContain('2026')
  })

  it('forum.muted without an end in the error: the end from my standing (GET /forum/me)', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/boards': jsonResponse(200, { boards: [] }),
      'POST /api/v1/forum/boards/1/threads': errorResponse(403, 'forum.muted', '您已被禁言，期满后才能发帖'),
      'GET /api/v1/forum/me': jsonResponse(200, {
        member: { nickname: '张三', credits: 0, level: { level: 1, name: '新手上路', next: null }, trust_level: 0, likes_received: 0, phone_verified: true, sanction: { kind: 'mute', reason: '刷屏', ends_at_ms: NOW }, progress: { account_age_days: 1, days_visited: 1, posts_read: 0 } },
      }),
    })
    const { wrapper } = await mountWithApp(NewThreadPage, { path: '/forum/boards/1/new' })
    await settle()
    await wrapper.find('[data-test="compose-title"]').setValue('标题')
    await wrapper.find('[data-test="compose-body"]').setValue('正文')
    await wrapper.find('[data-test="compose-form"]').trigger('submit')
    await settle()
    expect(wrapper.find('[data-test="compose-error-forum.muted"]').text()).toMatch(/^你正在被禁言，.*2026.* 后才能发帖和回复$/)
  })

  it('forum.banned: the server’s message', async () => {
    const wrapper = await refusedWith(errorResponse(403, 'forum.banned', '你的账号已被禁止发言'))
    expect(wrapper.find('[data-test="compose-error-forum.banned"]').text()).toBe('你的账号已被禁止发言')
  })

  it('forum.links_need_trust: under the text field', async () => {
    const wrapper = await refusedWith(jsonResponse(403, { error: { code: 'forum.links_need_trust', message: '', field: 'body_md' } }))
    expect(wrapper.find('[data-test="compose-body-error"]').text()).toBe('新用户暂时不能发链接和图片，达到信任等级 1 后就可以了')
  })

  it('forum.sensitive_word in the title: the word marked where it was typed (byte offsets → characters)', async () => {
    const title = '出售🎁赌博工具'
    const begin = new TextEncoder().encode('出售🎁').length
    const wrapper = await refusedWith(
      jsonResponse(422, { error: { code: 'forum.sensitive_word', message: '含有敏感词', field: 'title', span: { begin, end: begin + 6 }, word: '赌博' } }),
      title,
    )
    expect(wrapper.find('[data-test="compose-title-error"]').text()).toBe('“赌博”不能发布，请修改标红的文字')
    expect(wrapper.find('[data-test="compose-refused-title-mark"]').text()).toBe('赌博')
    expect(wrapper.find('[data-test="compose-refused-title"]').text()).toBe(title)
    expect(wrapper.find('[data-test="compose-refused-body"]').exists()).toBe(false)
  })

  it('forum.rate_limited: how long to wait', async () => {
    const wrapper = await refusedWith(errorResponse(429, 'forum.rate_limited', '太快了', null, { 'Retry-After': '30' }))
    expect(wrapper.find('[data-test="compose-error-forum.rate_limited"]').text()).toBe('发得太快了，请 30 秒后再试')
  })

  it('a held topic is a success: to the topic with the notice', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/boards': jsonResponse(200, { boards: [] }),
      'POST /api/v1/forum/boards/1/threads': jsonResponse(201, { thread: { id: 77, status: 'held' } }),
      'GET /api/v1/forum/threads/77': jsonResponse(200, { thread: thread({ id: 77 }), posts: [] }),
    })
    const { wrapper, router, pinia } = await mountWithApp(NewThreadPage, { path: '/forum/boards/1/new' })
    await settle()
    await wrapper.find('[data-test="compose-title"]').setValue('标题')
    await wrapper.find('[data-test="compose-body"]').setValue('正文')
    await wrapper.find('[data-test="compose-form"]').trigger('submit')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/forum/threads/77')
    const notice = (pinia.state.value.notice as { current: { key: string } | null }).current
    expect(notice?.key).toBe('forum.compose.held')
  })
})

describe('消息', () => {
  it('words the forum’s messages, links them to their floor, and marks them read when opened', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/me/notifications': jsonResponse(200, {
        notifications: [
          { id: 9, template: 'forum.mention', params: { thread_id: 12, thread_title: '加装电梯', floor: 25, by: '小李' }, created_at_ms: NOW, read: false },
          { id: 8, template: 'forum.moderated', params: { thread_id: 12, thread_title: '加装电梯', floor: 3, by: '管理员', action: 'hide', reason: '人身攻击' }, created_at_ms: NOW, read: true },
        ],
        next_cursor: null,
        unread: 1,
      }),
      'POST /api/v1/me/notifications/read': jsonResponse(200, { unread: 0 }),
    })
    const { wrapper, router } = await mountWithApp(NotificationsPage, { path: '/me/notifications' })
    await settle()
    expect(wrapper.find('[data-test="notification-9"]').text()).toContain('小李 在“加装电梯”中提到了你')
    expect(wrapper.find('[data-test="notification-8"]').text()).toContain('你在“加装电梯”的 3楼被屏蔽：人身攻击')
    expect(wrapper.find('[data-test="notification-unread-9"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="notification-unread-8"]').exists()).toBe(false)
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ up_to_id: 9 })
    await wrapper.find('[data-test="notification-9"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/forum/threads/12?page=2#floor-25')
  })

  it('words an editor’s decision on my article and opens the article', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/meta': jsonResponse(200, { name: 'x', version: '1', consent_version: '1', public_origin: '', features: ['news'] }),
      'GET /api/v1/me/notifications': jsonResponse(200, {
        notifications: [
          { id: 5, template: 'news.returned', params: { article_id: 'n4kq2xt2bw7mzp3rqa5e', title: '长者饭堂开餐', note: '请补充开餐时间' }, created_at_ms: NOW, read: false },
          { id: 4, template: 'news.approved', params: { article_id: 'a3lm2qwe5rty7uio6kd4', title: '义剪进社区', note: null }, created_at_ms: NOW, read: true },
        ],
        next_cursor: null,
        unread: 1,
      }),
      'POST /api/v1/me/notifications/read': jsonResponse(200, { unread: 0 }),
    })
    const { wrapper, router } = await mountWithApp(NotificationsPage, { path: '/me/notifications' })
    await settle()
    expect(wrapper.find('[data-test="notification-5"]').text()).toContain('你的资讯《长者饭堂开餐》被退回修改：请补充开餐时间')
    expect(wrapper.find('[data-test="notification-4"]').text()).toContain('你的资讯《义剪进社区》已通过审核')
    await wrapper.find('[data-test="notification-4"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/news/a3lm2qwe5rty7uio6kd4'))
  })
})

describe('社区 tab and 搜索', () => {
  it('shows the boards with 认证机构, 最新 with each topic’s board, and the way to 管理 for a board’s moderator', async () => {
    stubFetch({
      'GET /api/v1/me': me,
      'GET /api/v1/forum/boards': jsonResponse(200, {
        boards: [
          { id: 1, name: '居民议事', description: '小区大小事', org: null, threads: 120, moderators: [{ nickname: '梁书记' }], moderate: true },
          { id: 2, name: '博睿社工', description: '', org: { id: 2, name: '桂城博睿社会工作服务中心' }, threads: 3, moderators: [], moderate: false },
        ],
      }),
      'GET /api/v1/forum/threads': jsonResponse(200, {
        threads: [{ id: 12, board_id: 1, board_name: '居民议事', title: '加装电梯', kind: 'discussion', status: 'visible', sticky: false, digest: false, locked: false, solved: false, views: 9, replies: 1, author: author('陈阿姨'), created_at_ms: NOW, last_post_at_ms: NOW }],
      }),
    })
    const { wrapper } = await mountWithApp(ForumPage, { path: '/forum' })
    await settle()
    expect(wrapper.find('[data-test="board-threads-1"]').text()).toBe('120 个主题')
    expect(wrapper.find('[data-test="board-org-2"]').text()).toBe('认证机构')
    expect(wrapper.find('[data-test="board-org-1"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="thread-stats-12"]').text()).toBe('查看 9 | 回复 1')
    expect(wrapper.find('[data-test="thread-board-12"]').text()).toBe('居民议事')
    expect(wrapper.find('[data-test="forum-moderation"]').exists()).toBe(true)
  })

  it('searches with the typed words and shows the server’s marked titles and snippets', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/search': jsonResponse(200, {
        q: '电梯',
        threads: [{ id: 12, board_id: 1, title: '加装电梯', title_html: '加装<mark>电梯</mark>', kind: 'discussion', status: 'visible', sticky: false, digest: false, locked: false, solved: false, views: 9, replies: 1, author: author('陈阿姨'), created_at_ms: NOW, last_post_at_ms: NOW }],
        posts: [{ id: 70, thread_id: 12, thread_title: '加装电梯', floor: 23, author: author('小李'), snippet_html: '…<mark>电梯</mark>早该装了', created_at_ms: NOW }],
      }),
    })
    const { wrapper } = await mountWithApp(SearchPage, { path: '/forum/search?q=%E7%94%B5%E6%A2%AF' })
    await settle()
    expect(new URL(requests[0]!.url, 'http://x').searchParams.get('q')).toBe('电梯')
    expect(wrapper.find('[data-test="search-thread-12"] mark').text()).toBe('电梯')
    expect(wrapper.find('[data-test="search-post-70"]').text()).toContain('“加装电梯” 23楼')
    expect(wrapper.find('[data-test="search-post-70"]').attributes('href')).toBe('/forum/threads/12?page=2#floor-23')
    expect((wrapper.find('[data-test="forum-search-q"]').element as HTMLInputElement).value).toBe('电梯')
  })
})
