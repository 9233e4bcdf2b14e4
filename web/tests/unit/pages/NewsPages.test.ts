import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Article, ArticleSummary } from '@/api/news'
import ArticleFormPage from '@/pages/news/ArticleFormPage.vue'
import ArticlePage from '@/pages/news/ArticlePage.vue'
import SearchPage from '@/pages/forum/SearchPage.vue'
import HomePage from '@/pages/home/HomePage.vue'
import DeskPage from '@/pages/news/DeskPage.vue'
import NewsListPage from '@/pages/news/NewsListPage.vue'
import PictureButton from '@/components/PictureButton.vue'
import { useAuthStore } from '@/stores/auth'
import { usePrefsStore } from '@/stores/prefs'
import { mountWithApp, settle } from '../support/app'
import { home } from '../support/home'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch } from '../support/fetch'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const NOW = 1_790_000_000_000
const ID = 'k3xq7m2abcdefghijkmn'
const ID2 = 'b3xq7m2abcdefghijkmn'

const summary = (overrides: Partial<ArticleSummary> = {}): ArticleSummary => ({
  id: ID,
  title: '关爱桂城 2012 年度工作计划',
  summary: '今年的重点是长者关爱和社区互助。',
  category: 'notice',
  tags: ['关爱桂城'],
  status: 'published',
  cover: { id: 'c1', thumb_url: '/media/images/c1/thumb.webp', full_url: '/media/images/c1/full.webp' },
  org: null,
  author: { nickname: '桂城街道' },
  publish_at_ms: NOW,
  updated_at_ms: NOW,
  views: 1196,
  corrected: false,
  ...overrides,
})

const article = (overrides: Partial<Article> = {}): Article => ({
  ...summary(),
  body_html: '<p>正文第一段</p>',
  revision: 2,
  correction_note: '更正了活动日期',
  corrections: [{ revision: 2, note: '更正了活动日期', at_ms: NOW + 3_600_000 }],
  corrected: true,
  related: [
    { kind: 'event', id: 3, title: '重阳敬老义工日', summary: '与社区义工一起', href: '/events/3', action: 'signup', item: { starts_at_ms: NOW, remaining: 12 } },
    { kind: 'fund_purpose', id: 2, title: '关爱长者计划', summary: '已筹 ¥12,000', href: '/fund/donate?purpose=2', action: 'donate', item: {} },
  ],
  url: `/news/${ID}`,
  can_edit: false,
  can_review: false,
  review_note: null,
  ...overrides,
})

const meta = jsonResponse(200, { name: 'x', version: '1', consent_version: '1', public_origin: '', features: ['news'] })
const signedOut = errorResponse(401, 'unauthenticated', '')
const editor = { ...sampleUser, roles: [{ role: 'editor', org_id: null, org_name: null, village_id: null, village_name: null }] }

const cursorOf = (request: RecordedRequest) => new URL(request.url, 'http://localhost').searchParams.get('cursor')

describe('article page', () => {
  it('shows the article: source, views, corrections with their time, the body, tags and related cards with their buttons', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/me': signedOut, 'GET /api/v1/meta': meta, [`GET /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: article() }) })
    const { wrapper, router } = await mountWithApp(ArticlePage, { path: `/news/${ID}` })
    await settle()
    expect(wrapper.get('[data-test="article-title"]').text()).toBe('关爱桂城 2012 年度工作计划')
    expect(wrapper.get('[data-test="article-category"]').text()).toBe('通知公告')
    expect(wrapper.get('[data-test="article-source"]').text()).toBe('桂城街道')
    expect(wrapper.get('[data-test="article-views"]').text()).toBe('阅读 1196')
    expect(wrapper.get('[data-test="article-cover"]').attributes('src')).toBe('/media/images/c1/full.webp')
    const corrections = wrapper.get('[data-test="article-corrections"]')
    expect(corrections.text()).toContain('已更正')
    expect(corrections.get('[data-test="correction-2"]').text()).toContain('更正了活动日期')
    expect(corrections.get('[data-test="correction-2"]').text()).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 更正/)
    expect(wrapper.get('[data-test="article-body"]').html()).toContain('<p>正文第一段</p>')
    expect(wrapper.find('[data-test="article-tag-关爱桂城"]').exists()).toBe(true)
    expect(wrapper.get('[data-test="related-0"]').text()).toContain('重阳敬老义工日')
    expect(wrapper.get('[data-test="related-action-0"]').text()).toBe('报名')
    expect(wrapper.get('[data-test="related-facts-0"]').text()).toMatch(/^\d+月\d+日周. \d{2}:\d{2} · 剩余 12 席$/)
    expect(wrapper.find('[data-test="related-facts-1"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="related-link-0"]').attributes('href')).toBe('/events/3')
    expect(wrapper.get('[data-test="related-action-1"]').text()).toBe('捐赠')
    expect(wrapper.find('[data-test="article-edit"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="article-review"]').exists()).toBe(false)
    // Leaving for the related event does not read an "article" by the event's id.
    await router.push('/events/3')
    await settle()
    expect(requests.filter((r) => r.url.startsWith('/api/v1/news/')).map((r) => r.url)).toEqual([`/api/v1/news/articles/${ID}`])
  })

  it('a related card shows the facts its section’s own object holds: a price, a lot’s price and end, a call’s closing day', async () => {
    const related: Article['related'] = [
      { kind: 'product', id: 'p1', title: '长者手工香囊', summary: '', href: '/shop/products/p1', action: 'buy', item: { price_fen: 3800 } },
      { kind: 'lot', id: 'l1', title: '岭南山水', summary: '', href: '/auction/lots/l1', action: 'bid', item: { price_fen: null, start_price_fen: 12000, ends_at_ms: Date.UTC(2026, 11, 8, 12) } },
      { kind: 'grant_call', id: 'g1', title: '公益创投', summary: '', href: '/grants/calls/g1', action: 'view', item: { closes_at_ms: Date.UTC(2026, 11, 20, 8) } },
    ]
    stubFetch({ 'GET /api/v1/me': signedOut, 'GET /api/v1/meta': meta, [`GET /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: article({ related }) }) })
    const { wrapper } = await mountWithApp(ArticlePage, { path: `/news/${ID}` })
    await settle()
    expect(wrapper.get('[data-test="related-facts-0"]').text()).toBe('¥38.00')
    expect(wrapper.get('[data-test="related-action-0"]').text()).toBe('购买')
    expect(wrapper.get('[data-test="related-facts-1"]').text()).toBe('当前价 ¥120.00 · 2026/12/08 20:00 结束')
    expect(wrapper.get('[data-test="related-action-1"]').text()).toBe('出价')
    expect(wrapper.get('[data-test="related-facts-2"]').text()).toBe('2026/12/20 截止申报')
    expect(wrapper.get('[data-test="related-action-2"]').text()).toBe('查看')
  })

  it('分享 opens a sheet with the poster image, the hint to save it and the link to copy', async () => {
    stubFetch({ 'GET /api/v1/me': signedOut, 'GET /api/v1/meta': meta, [`GET /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: article() }) })
    const writeText = vi.fn(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { wrapper } = await mountWithApp(ArticlePage, { path: `/news/${ID}` })
    await settle()
    await wrapper.get('[data-test="article-share"]').trigger('click')
    await settle()
    const poster = document.querySelector<HTMLImageElement>('[data-test="share-poster"]')
    expect(poster?.getAttribute('src')).toBe(`/share/article/${ID}.png`)
    expect(document.querySelector('[data-test="share-hint"]')?.textContent).toBe('长按图片保存，分享给朋友')
    document.querySelector<HTMLButtonElement>('[data-test="share-copy"]')?.click()
    await settle()
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/news/${ID}`)
    expect(document.querySelector('[data-test="share-copied"]')?.textContent).toBe('链接已复制')
  })

  it('in 长辈模式 the share panel opens on the page', async () => {
    stubFetch({ 'GET /api/v1/me': signedOut, 'GET /api/v1/meta': meta, [`GET /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: article() }) })
    const { wrapper } = await mountWithApp(ArticlePage, { path: `/news/${ID}` })
    usePrefsStore().elderMode = true
    await settle()
    await wrapper.get('[data-test="article-share"]').trigger('click')
    expect(wrapper.get('[data-test="share-poster"]').attributes('src')).toBe(`/share/article/${ID}.png`)
  })

  it('an editor approves a pending article from its page; 编辑 shows when it may be edited', async () => {
    let status = 'pending_review'
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: editor }),
      'GET /api/v1/meta': meta,
      [`GET /api/v1/news/articles/${ID}`]: () => jsonResponse(200, { article: article({ status: status as Article['status'], can_edit: true, can_review: status === 'pending_review' }) }),
      [`POST /api/v1/news/articles/${ID}/review`]: () => {
        status = 'published'
        return jsonResponse(200, { article: { id: ID, status } })
      },
    })
    const { wrapper } = await mountWithApp(ArticlePage, { path: `/news/${ID}` })
    await settle()
    expect(wrapper.get('[data-test="article-status"]').text()).toContain('待审核')
    expect(wrapper.find('[data-test="article-edit"]').exists()).toBe(true)
    await wrapper.get('[data-test="article-review-approve"]').trigger('click')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ decision: 'approve' })
    expect(wrapper.find('[data-test="article-review"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="article-status"]').exists()).toBe(false)
  })

  it('says plainly when the article is not there', async () => {
    stubFetch({ 'GET /api/v1/me': signedOut, 'GET /api/v1/meta': meta, [`GET /api/v1/news/articles/${ID}`]: errorResponse(404, 'news.not_found', '') })
    const { wrapper } = await mountWithApp(ArticlePage, { path: `/news/${ID}` })
    await settle()
    expect(wrapper.get('[data-test="article-error"]').text()).toContain('没有找到这篇资讯')
  })
})

describe('news list', () => {
  it('loads page after page through next_cursor, and a category tab starts it again with the category', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': signedOut,
      'GET /api/v1/meta': meta,
      'GET /api/v1/news/articles': (request) =>
        cursorOf(request) === 'c2'
          ? jsonResponse(200, { articles: [summary({ id: ID2, title: '第二页的资讯', cover: null })], next_cursor: null })
          : jsonResponse(200, { articles: [summary()], next_cursor: 'c2' }),
    })
    const { wrapper, router } = await mountWithApp(NewsListPage, { path: '/news' })
    await settle()
    await settle()
    const asked = () => requests.filter((r) => r.url.startsWith('/api/v1/news/articles')).map((r) => r.url)
    expect(asked()).toEqual(['/api/v1/news/articles?limit=20', '/api/v1/news/articles?cursor=c2&limit=20'])
    expect(wrapper.find(`[data-test="article-${ID}"]`).text()).toContain('阅读 1196')
    expect(wrapper.find(`[data-test="article-${ID2}"]`).text()).toContain('第二页的资讯')
    expect(wrapper.text()).toContain('没有更多了')
    await wrapper.get('[data-test="news-tab-story"]').trigger('click')
    await settle()
    await settle()
    expect(router.currentRoute.value.query).toEqual({ category: 'story' })
    expect(asked()).toContain('/api/v1/news/articles?category=story&limit=20')
  })

  it('a tag in the address filters the list, and ✕ clears it', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': signedOut,
      'GET /api/v1/meta': meta,
      'GET /api/v1/news/articles': jsonResponse(200, { articles: [summary()], next_cursor: null }),
    })
    const { wrapper, router } = await mountWithApp(NewsListPage, { path: '/news?tag=关爱桂城' })
    await settle()
    expect(requests.some((r) => r.url === `/api/v1/news/articles?tag=${encodeURIComponent('关爱桂城')}&limit=20`)).toBe(true)
    expect(wrapper.get('[data-test="news-tag-filter"]').text()).toContain('标签：关爱桂城')
    await wrapper.get('[data-test="news-tag-filter"] .van-tag__close').trigger('click')
    await settle()
    expect(router.currentRoute.value.query).toEqual({})
  })
})

describe('编辑台', () => {
  const desk = () => jsonResponse(200, { articles: [summary({ status: 'pending_review', org: { id: 3, name: '博睿社工' } }), summary({ id: ID2, status: 'pending_review', title: '待审的第二篇' })] })

  it('an editor approves one pending article and returns another with a note; decided ones leave the list', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: editor }),
      'GET /api/v1/meta': meta,
      'GET /api/v1/news/desk': desk(),
      [`POST /api/v1/news/articles/${ID}/review`]: jsonResponse(200, { article: { id: ID, status: 'published' } }),
      [`POST /api/v1/news/articles/${ID2}/review`]: jsonResponse(200, { article: { id: ID2, status: 'draft' } }),
    })
    const { wrapper } = await mountWithApp(DeskPage, { path: '/news/desk' })
    await useAuthStore().ensureLoaded()
    await settle()
    expect(requests.some((r) => r.url === '/api/v1/news/desk?status=pending_review')).toBe(true)
    expect(wrapper.get(`[data-test="article-status-${ID}"]`).text()).toBe('待审核')
    await wrapper.get(`[data-test="desk-review-${ID}-approve"]`).trigger('click')
    await settle()
    expect(wrapper.find(`[data-test="desk-item-${ID}"]`).exists()).toBe(false)

    await wrapper.get(`[data-test="desk-review-${ID2}-return"]`).trigger('click')
    await wrapper.get(`[data-test="desk-review-${ID2}-confirm"]`).trigger('submit')
    expect(wrapper.get(`[data-test="desk-review-${ID2}-error"]`).text()).toBe('请填写退回原因')
    await wrapper.get(`[data-test="desk-review-${ID2}-note"]`).setValue('请补充活动照片')
    await wrapper.get(`[data-test="desk-review-${ID2}"] form`).trigger('submit')
    await settle()
    const posts = requests.filter((r) => r.method === 'POST')
    expect(posts.map((r) => r.body)).toEqual([{ decision: 'approve' }, { decision: 'return', note: '请补充活动照片' }])
    expect(wrapper.find(`[data-test="desk-item-${ID2}"]`).exists()).toBe(false)
    expect(wrapper.get('[data-test="desk-empty"]').text()).toBe('没有这个状态的资讯')
  })

  it('shows another editor’s earlier decision as the server says it, and keeps the article listed', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: editor }),
      'GET /api/v1/meta': meta,
      'GET /api/v1/news/desk': desk(),
      [`POST /api/v1/news/articles/${ID}/review`]: errorResponse(409, 'news.state', '这篇资讯已经由其他编辑处理'),
    })
    const { wrapper } = await mountWithApp(DeskPage, { path: '/news/desk' })
    await useAuthStore().ensureLoaded()
    await settle()
    await wrapper.get(`[data-test="desk-review-${ID}-approve"]`).trigger('click')
    await settle()
    expect(wrapper.get(`[data-test="desk-review-${ID}-error"]`).text()).toBe('这篇资讯已经由其他编辑处理')
    expect(wrapper.find(`[data-test="desk-item-${ID}"]`).exists()).toBe(true)
  })

  it('organisation staff see their articles without review buttons', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, { user: sampleUser }), 'GET /api/v1/meta': meta, 'GET /api/v1/news/desk': desk() })
    const { wrapper } = await mountWithApp(DeskPage, { path: '/news/desk' })
    await useAuthStore().ensureLoaded()
    await settle()
    expect(wrapper.find(`[data-test="desk-item-${ID}"]`).exists()).toBe(true)
    expect(wrapper.find(`[data-test="desk-review-${ID}"]`).exists()).toBe(false)
  })
})

describe('article form', () => {
  const events = jsonResponse(200, {
    events: [
      { id: 3, title: '重阳敬老义工日' },
      { id: 4, title: '社区义诊' },
    ],
    next_cursor: null,
  })

  it('organisation staff submit with related events; a refused related[1].id shows under the second item, then it goes to review', async () => {
    let refuse = true
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      'GET /api/v1/meta': meta,
      'GET /api/v1/events': events,
      'POST /api/v1/news/articles': () => {
        if (refuse) {
          refuse = false
          return errorResponse(422, 'news.related_not_found', '没有找到这项相关内容，或它还没有公开', 'related[1].id')
        }
        return jsonResponse(201, { article: { id: ID, status: 'pending_review' } })
      },
      [`GET /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: article({ status: 'pending_review' }) }),
    })
    const { wrapper, router } = await mountWithApp(ArticleFormPage, { path: '/news/new' })
    usePrefsStore().elderMode = true
    await settle()
    await wrapper.get('[data-test="form-title"]').setValue('重阳节活动预告')
    await wrapper.get('[data-test="form-category"]').setValue('event_review')
    await wrapper.get('[data-test="form-body"]').setValue('欢迎报名')
    await wrapper.get('[data-test="form-tag-input"]').setValue('重阳')
    await wrapper.get('[data-test="form-tag-add"]').trigger('click')
    await wrapper.get('[data-test="form-related-add"]').trigger('click')
    await settle()
    await wrapper.get('[data-test="picker-item-3"]').trigger('click')
    await wrapper.get('[data-test="form-related-add"]').trigger('click')
    await settle()
    await wrapper.get('[data-test="picker-item-4"]').trigger('click')
    await wrapper.get('[data-test="news-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="form-related-error-1"]').text()).toBe('没有找到这项相关内容，或它还没有公开')
    expect(wrapper.find('[data-test="form-related-error-0"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)
    const sent = requests.filter((r) => r.method === 'POST')
    expect(sent[0]?.body).toEqual({
      title: '重阳节活动预告',
      body_md: '欢迎报名',
      category: 'event_review',
      cover_file_id: null,
      related: [
        { kind: 'event', id: 3 },
        { kind: 'event', id: 4 },
      ],
      summary: '',
      tags: ['重阳'],
      org_id: 3,
    })
    await wrapper.get('[data-test="form-related-remove-1"]').trigger('click')
    await wrapper.get('[data-test="news-form"]').trigger('submit')
    await settle()
    expect(requests.filter((r) => r.method === 'POST')[1]?.body).toMatchObject({ related: [{ kind: 'event', id: 3 }] })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/news/${ID}`))
  })

  it('an editor adds pictures to the text: each uploaded and added as a paragraph; a refusal is said in words', async () => {
    const url = '/media/images/abcdefghijklmnopqrst/full.webp'
    let uploads = 0
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: editor }),
      'GET /api/v1/meta': meta,
      'POST /api/v1/media/images': () =>
        ++uploads === 1
          ? jsonResponse(201, { image: { id: 'abcdefghijklmnopqrst', full_url: url, thumb_url: url, url, width: 64, height: 48 } })
          : errorResponse(422, 'image_too_large', '图片的边长超过 8000 像素'),
    })
    const { wrapper } = await mountWithApp(ArticleFormPage, { path: '/news/new' })
    await settle()
    await wrapper.get('[data-test="form-body"]').setValue('重阳节那天，老人们')
    const pick = wrapper.findComponent(PictureButton)
    expect(pick.vm.beforeRead(new File(['%PDF'], 'plan.pdf', { type: 'application/pdf' }))).toBe(false)
    await settle()
    expect(wrapper.get('[data-test="form-picture-refused"]').text()).toBe('“plan.pdf”不是 JPG、PNG 或 WebP 图片')
    expect(requests.filter((r) => r.method === 'POST')).toEqual([])
    pick.vm.beforeRead(new File([new Uint8Array([0xff, 0xd8, 0xff])], 'party.jpg', { type: 'image/jpeg' }))
    await settle()
    expect((wrapper.get('[data-test="form-body"]').element as HTMLTextAreaElement).value).toBe(`重阳节那天，老人们\n\n![图片](${url})\n`)
    expect(wrapper.find('[data-test="form-picture-refused"]').exists()).toBe(false)
    pick.vm.beforeRead(new File([new Uint8Array([0xff, 0xd8, 0xff])], 'huge.jpg', { type: 'image/jpeg' }))
    await settle()
    expect(wrapper.get('[data-test="form-picture-refused"]').text()).toBe('图片的边长超过 8000 像素')
    expect((wrapper.get('[data-test="form-body"]').element as HTMLTextAreaElement).value).toBe(`重阳节那天，老人们\n\n![图片](${url})\n`)
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['/api/v1/media/images', '/api/v1/media/images'])
  })

  it('checks the title, category and text before sending', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/me': jsonResponse(200, { user: sampleUser }), 'GET /api/v1/meta': meta })
    const { wrapper } = await mountWithApp(ArticleFormPage, { path: '/news/new' })
    await settle()
    await wrapper.get('[data-test="news-form"]').trigger('submit')
    expect(wrapper.get('[data-test="form-title-error"]').text()).toBe('请填写这一项')
    expect(wrapper.get('[data-test="form-category-error"]').text()).toBe('请填写这一项')
    expect(wrapper.get('[data-test="form-body-error"]').text()).toBe('请填写这一项')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0)
  })

  it('an editor editing a published article may add a correction note, sent with the edit', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: editor }),
      'GET /api/v1/meta': meta,
      [`GET /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: article({ can_edit: true, body_md: '正文第一段', related_refs: [{ kind: 'event', id: 3 }] }) }),
      [`PUT /api/v1/news/articles/${ID}`]: jsonResponse(200, { article: { id: ID, status: 'published' } }),
    })
    const { wrapper } = await mountWithApp(ArticleFormPage, { path: `/news/${ID}/edit` })
    await settle()
    expect((wrapper.get('[data-test="form-title"]').element as HTMLInputElement).value).toBe('关爱桂城 2012 年度工作计划')
    expect(wrapper.get('[data-test="form-related-0"]').text()).toContain('重阳敬老义工日')
    expect(wrapper.find('[data-test="form-draft"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="form-submit"]').text()).toBe('保存')
    await wrapper.get('[data-test="form-correction"]').setValue('活动日期应为 10 月 29 日')
    await wrapper.get('[data-test="news-form"]').trigger('submit')
    await settle()
    const put = requests.find((r) => r.method === 'PUT')
    expect(put?.body).toMatchObject({ correction_note: '活动日期应为 10 月 29 日', related: [{ kind: 'event', id: 3 }], cover_file_id: 'c1' })
    expect(put?.body).not.toHaveProperty('org_id')
  })
})

describe('首页 and 搜索', () => {
  it('首页 puts 通知公告 first, each notice opening its article and 更多 the notices; no block without notices', async () => {
    stubFetch({
      'GET /api/v1/me': signedOut,
      'GET /api/v1/meta': meta,
      'GET /api/v1/home': jsonResponse(200, home({ notices: [summary(), summary({ id: ID2, title: '停水通知', org: { id: 3, name: '博睿社工' } })] })),
    })
    const { wrapper } = await mountWithApp(HomePage, { path: '/' })
    await settle()
    const blocks = wrapper.findAll('[data-test^="home-block-"]').map((b) => b.attributes('data-test'))
    expect(blocks[0]).toBe('home-block-notices')
    const rows = wrapper.findAll('[data-test="home-notice"]')
    expect(rows.map((r) => r.attributes('href'))).toEqual([`/news/${ID}`, `/news/${ID2}`])
    expect(rows[1]!.text()).toContain('博睿社工')
    expect(wrapper.get('[data-test="home-more-notices"]').attributes('href')).toBe('/news?category=notice')
    expect(wrapper.get('[data-test="section-news"]').text()).toContain('资讯')
  })

  it('首页 leaves the block out when there are no notices', async () => {
    stubFetch({ 'GET /api/v1/me': signedOut, 'GET /api/v1/meta': meta, 'GET /api/v1/home': jsonResponse(200, home({ notices: [] })) })
    const { wrapper } = await mountWithApp(HomePage, { path: '/' })
    await settle()
    expect(wrapper.find('[data-test="home-block-notices"]').exists()).toBe(false)
  })

  it('搜索 lists matching articles with the server’s marked title and snippet', async () => {
    stubFetch({
      'GET /api/v1/search': jsonResponse(200, {
        q: '电梯',
        threads: [],
        posts: [],
        articles: [{ ...summary(), title_html: '加装<mark>电梯</mark>通知', snippet_html: '…<mark>电梯</mark>工程' }],
      }),
    })
    const { wrapper } = await mountWithApp(SearchPage, { path: '/forum/search?q=%E7%94%B5%E6%A2%AF' })
    await settle()
    const hit = wrapper.get(`[data-test="search-article-${ID}"]`)
    expect(hit.attributes('href')).toBe(`/news/${ID}`)
    expect(hit.find('h3 mark').text()).toBe('电梯')
    expect(hit.find('p mark').text()).toBe('电梯')
    expect(wrapper.find('[data-test="search-none"]').exists()).toBe(false)
  })
})
