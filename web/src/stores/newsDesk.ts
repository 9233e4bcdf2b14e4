/**
 * 资讯 for its writers: the 编辑台 (articles by status — editors see every one, organisation staff
 * their organisations'), an editor's approve/return (a decided article leaves the 待审核 list), and
 * the writing form — the cover upload, the related items picked from each section's own list, and
 * saving as a draft, submitting or publishing. `buildArticleInput` is the one place turning what
 * was typed into the request, naming each problem by the server's field (`title`, `tags`,
 * `related[2].id`, `publish_at_ms`) with a code the page words.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { listLots } from '@/api/auction'
import { listServices } from '@/api/casework'
import { listEvents } from '@/api/events'
import { listPurposes, listReports } from '@/api/fund'
import { listCalls } from '@/api/grants'
import { uploadImage, type Image } from '@/api/media'
import * as api from '@/api/news'
import { listProducts } from '@/api/shop'
import type { RoleName } from '@/api/types'
import { listVillages } from '@/api/villages'
import { fromZonedInput, toZonedInput } from '@/time/zone'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { ok, type Result } from './result'
import { pictureMarkdown } from './upload'

export type { ArticleInput, ArticleState, ArticleStatus, RelatedKind, RelatedRef, Revision } from '@/api/news'

/** Who publishes directly and reviews organisations' articles. */
export const EDITOR_ROLES: readonly RoleName[] = ['editor', 'platform_admin']
/* Who writes at all: NEWS_WRITER_ROLES in router/gating.ts. */

export const MAX_TITLE = 80
export const MAX_SUMMARY = 200
export const MAX_TAGS = 5
export const MAX_TAG_LENGTH = 12
export const MAX_RELATED = 6
/** Characters a tag may not hold (the server refuses them: they would break its tag lists). */
export const TAG_FORBIDDEN = /["\\,#]/
/** How many items of a section the related picker lists (its newest or soonest). */
const CHOICES_LIMIT = 50

/** A related item as the form holds it: what is sent, and its title to show. */
export interface RelatedChoice {
  kind: api.RelatedKind
  id: number | string
  title: string
}

export interface ArticleForm {
  title: string
  category: api.NewsCategory | ''
  summary: string
  tags: string[]
  /** At most one image: the uploader's `v-model`. */
  cover: Image[]
  body_md: string
  related: RelatedChoice[]
  /** `datetime-local` in the subdistrict's zone; '' publishes at once. */
  publish_at: string
  /** For staff of several organisations; null for editors. */
  org_id: number | null
  /** An editor's 更正说明 when editing a published article. */
  correction_note: string
}

export type Problem = 'required' | 'too_long' | 'too_many' | 'invalid' | 'duplicate'

export function emptyForm(): ArticleForm {
  return { title: '', category: '', summary: '', tags: [], cover: [], body_md: '', related: [], publish_at: '', org_id: null, correction_note: '' }
}

const length = (text: string) => [...text].length

/**
 * The request for what was typed, or the problems by the server's field names. `needsOrg`: the
 * writer staffs several organisations and writes for one of them (then `org_id` is required).
 */
export function buildArticleInput(form: ArticleForm, needsOrg = false): { ok: true; value: api.ArticleInput } | { ok: false; problems: Record<string, Problem> } {
  const problems: Record<string, Problem> = {}
  const title = form.title.trim()
  if (title === '') {
    problems.title = 'required'
  } else if (length(title) > MAX_TITLE) {
    problems.title = 'too_long'
  }
  if (form.category === '') {
    problems.category = 'required'
  }
  const summary = form.summary.trim()
  if (length(summary) > MAX_SUMMARY) {
    problems.summary = 'too_long'
  }
  if (form.body_md.trim() === '') {
    problems.body_md = 'required'
  }
  const tags = form.tags.map((tag) => tag.trim()).filter((tag) => tag !== '')
  if (tags.length > MAX_TAGS) {
    problems.tags = 'too_many'
  } else if (tags.some((tag) => length(tag) > MAX_TAG_LENGTH)) {
    problems.tags = 'too_long'
  } else if (tags.some((tag) => TAG_FORBIDDEN.test(tag))) {
    problems.tags = 'invalid'
  }
  if (form.related.length > MAX_RELATED) {
    problems.related = 'too_many'
  }
  let publishAt: number | undefined
  if (form.publish_at !== '') {
    const ms = fromZonedInput(form.publish_at)
    if (ms === null) {
      problems.publish_at_ms = 'invalid'
    } else {
      publishAt = ms
    }
  }
  if (needsOrg && form.org_id === null) {
    problems.org_id = 'required'
  }
  if (Object.keys(problems).length > 0 || form.category === '') {
    return { ok: false, problems }
  }
  return {
    ok: true,
    value: {
    title,
    body_md: form.body_md,
    category: form.category,
    cover_file_id: form.cover[0]?.id ?? null,
    related: form.related.map(({ kind, id }) => ({ kind, id })),
    summary,
    tags,
    ...(publishAt === undefined ? {} : { publish_at_ms: publishAt }),
    ...(form.org_id === null ? {} : { org_id: form.org_id }),
    },
  }
}

/** The form for editing an article as its writers read it (`body_md` and `related_refs` come to them only). */
export function formFromArticle(article: api.Article, now: number): ArticleForm {
  const refs = article.related_refs ?? article.related.map(({ kind, id }) => ({ kind, id }))
  const titleOf = (ref: api.RelatedRef) => article.related.find((card) => card.kind === ref.kind && String(card.id) === String(ref.id))?.title ?? ''
  return {
    title: article.title,
    category: article.category,
    summary: article.summary,
    tags: [...article.tags],
    cover: article.cover ? [{ id: article.cover.id, url: article.cover.full_url, thumb_url: article.cover.thumb_url, width: 0, height: 0 }] : [],
    body_md: article.body_md ?? '',
    related: refs.map((ref) => ({ kind: ref.kind, id: ref.id, title: titleOf(ref) })),
    publish_at: article.publish_at_ms !== null && article.publish_at_ms > now ? toZonedInput(article.publish_at_ms) : '',
    org_id: article.org?.id ?? null,
    correction_note: '',
  }
}

/** A section's items as the related picker lists them: id and title, from the section's own list route. */
async function fetchChoices(kind: api.RelatedKind): Promise<RelatedChoice[]> {
  const pick = (items: { id: number | string; title?: string; name?: string }[]) => items.map((item) => ({ kind, id: item.id, title: item.title ?? item.name ?? String(item.id) }))
  switch (kind) {
    case 'event':
      return pick((await listEvents({}, null, CHOICES_LIMIT)).events)
    case 'service':
      return pick((await listServices()).services)
    case 'fund_purpose':
      return pick((await listPurposes()).purposes)
    case 'fund_report':
      return pick((await listReports(null, null, CHOICES_LIMIT)).reports)
    case 'product':
      return pick((await listProducts({}, null, CHOICES_LIMIT)).products)
    case 'lot':
      return pick((await listLots(null, null, CHOICES_LIMIT)).lots)
    case 'grant_call':
      return pick((await listCalls()).calls)
    case 'village':
      return pick((await listVillages()).villages)
  }
}

export const useNewsDeskStore = defineStore('newsDesk', () => {
  const auth = useAuthStore()
  const desk = ref<api.ArticleSummary[]>([])
  const deskStatus = ref<api.ArticleStatus | null>(null)
  const choices = ref<Partial<Record<api.RelatedKind, RelatedChoice[]>>>({})

  const isEditor = computed(() => (auth.user?.roles ?? []).some((grant) => EDITOR_ROLES.includes(grant.role)))

  watch(
    () => auth.user?.id ?? null,
    () => {
      desk.value = []
      deskStatus.value = null
    },
  )

  /** The 编辑台 of one status; a late answer for another status is dropped. */
  function loadDesk(status: api.ArticleStatus): Promise<Result> {
    deskStatus.value = status
    return readInto(
      () => api.listDesk(status),
      (value) => {
        if (deskStatus.value === status) {
          desk.value = value.articles
        }
      },
    )
  }

  /** Approves or returns a pending article; decided, it leaves the list shown. */
  async function review(id: string, decision: 'approve' | 'return', note?: string): Promise<Result<api.ArticleState>> {
    const result = await attemptSignedIn(() => api.reviewArticle(id, decision, note))
    if (!result.ok) {
      return result
    }
    desk.value = desk.value.filter((article) => article.id !== id)
    return ok(result.value.article)
  }

  /** The article to edit, as its writers read it. */
  async function loadForEdit(id: string): Promise<Result<api.Article>> {
    const result = await attemptSignedIn(() => api.getArticle(id))
    return result.ok ? ok(result.value.article) : result
  }

  /** A new article: a draft, or submitted (organisations) / published (editors). */
  async function create(input: api.ArticleInput, draft: boolean): Promise<Result<api.ArticleState>> {
    const result = await attemptSignedIn(() => api.createArticle(draft ? { ...input, draft: true } : input))
    return result.ok ? ok(result.value.article) : result
  }

  /** Saves an existing article; `submit` then sends a draft on (to review, or out for an editor). */
  async function save(id: string, input: api.ArticleUpdate, submit: boolean): Promise<Result<api.ArticleState>> {
    const saved = await attemptSignedIn(() => api.updateArticle(id, input))
    if (!saved.ok || !submit || saved.value.article.status !== 'draft') {
      return saved.ok ? ok(saved.value.article) : saved
    }
    const submitted = await attemptSignedIn(() => api.submitArticle(id))
    return submitted.ok ? ok(submitted.value.article) : submitted
  }

  function uploadCover(file: Blob): Promise<Result<{ image: Image }>> {
    return attemptSignedIn(() => uploadImage(file))
  }

  /** A picture for the article's text, answered as the Markdown that shows it. */
  async function uploadPicture(file: Blob, alt: string): Promise<Result<string>> {
    const result = await uploadCover(file)
    return result.ok ? ok(pictureMarkdown(alt, result.value.image.url)) : result
  }

  /** A section's items for the related picker, read once per kind. */
  async function loadChoices(kind: api.RelatedKind): Promise<Result> {
    if (choices.value[kind] !== undefined) {
      return ok()
    }
    return readInto(
      () => fetchChoices(kind),
      (items) => (choices.value = { ...choices.value, [kind]: items }),
    )
  }

  return { desk, deskStatus, choices, isEditor, loadDesk, review, loadForEdit, create, save, uploadCover, uploadPicture, loadChoices }
})
