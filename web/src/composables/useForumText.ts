/**
 * 社区论坛 in words: floor labels (1楼 is 楼主), a hidden floor's line, a refusal's text (the muted
 * end time, Retry-After, the refused word), credit reasons, and 消息 sentences for the forum's
 * templates. Dates via `useFormat`.
 */
import { useI18n } from 'vue-i18n'
import type { Notification } from '@/api/me'
import { useErrorText } from '@/composables/useErrorText'
import { useFormat } from '@/composables/useFormat'
import { mutedUntil, type Post } from '@/stores/forum'
import type { FormError } from '@/stores/result'

const FORUM_TEMPLATES = ['reply', 'quote', 'mention', 'like', 'moderated', 'sanctioned'] as const
type ForumTemplate = (typeof FORUM_TEMPLATES)[number]
const ACTIONS = ['hide', 'delete', 'warn', 'mute', 'ban'] as const

export function useForumText() {
  const { t, te } = useI18n()
  const { formatTime } = useFormat()
  const { errorText } = useErrorText()

  const floorLabel = (floor: number) => t('forum.thread.floor', { n: floor })

  /** "该楼层已被屏蔽：<reason>" for a floor others cannot read; null for one with a body to show. */
  function goneText(post: Pick<Post, 'status' | 'status_reason' | 'body_html'>): string | null {
    if ((post.status !== 'hidden' && post.status !== 'deleted') || post.body_html !== '') {
      return null
    }
    const reason = post.status_reason ?? ''
    if (post.status === 'deleted') {
      return reason === '' ? t('forum.thread.deletedPlain') : t('forum.thread.deleted', { reason })
    }
    return reason === '' ? t('forum.thread.hiddenPlain') : t('forum.thread.hidden', { reason })
  }

  /** A write refused by the server, in words: the muted end, the wait, the refused word; else the server's message. */
  function refusalText(error: FormError): string {
    if (error.code === 'forum.muted') {
      const until = mutedUntil(error)
      if (until !== null) {
        return t('forum.compose.mutedUntil', { time: formatTime(until) })
      }
    }
    if (error.code === 'forum.rate_limited' && error.retryAfterSeconds !== null) {
      return t('forum.compose.retryIn', { seconds: error.retryAfterSeconds })
    }
    if (error.code === 'forum.sensitive_word') {
      const word = error.details?.word
      return typeof word === 'string' && word !== '' ? t('forum.compose.word', { word }) : t('forum.compose.wordPlain')
    }
    if (error.message === null && te(`errors.${error.code}`)) {
      return t(`errors.${error.code}`)
    }
    return errorText(error)
  }

  function actionName(action: unknown): string {
    return typeof action === 'string' && (ACTIONS as readonly string[]).includes(action)
      ? t(`forum.notifications.actions.${action}`)
      : t('forum.notifications.actions.other')
  }

  function creditReason(reason: string): string {
    const key = `forum.mine.reasons.${reason}`
    return te(key) ? t(key) : t('forum.mine.reasons.other')
  }

  /** One message as a sentence; templates other than the forum's get a generic line. */
  function notificationText(n: Notification): string {
    const name = n.template.startsWith('forum.') ? n.template.slice('forum.'.length) : ''
    if (!(FORUM_TEMPLATES as readonly string[]).includes(name)) {
      return t('forum.notifications.generic')
    }
    const p = n.params
    const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '')
    const params = {
      by: text(p.by),
      thread_title: text(p.thread_title),
      floor: text(p.floor),
      reason: text(p.reason),
      action: actionName(p.action),
    }
    const template = name as ForumTemplate
    if (template === 'sanctioned' && typeof p.ends_at_ms === 'number') {
      return t('forum.notifications.sanctionedUntil', { ...params, time: formatTime(p.ends_at_ms) })
    }
    return t(`forum.notifications.${template}`, params)
  }

  return { floorLabel, goneText, refusalText, actionName, creditReason, notificationText, formatTime }
}
