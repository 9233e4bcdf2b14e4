import { describe, expect, it } from 'vitest'
import { byteSpanToIndexes, mutedUntil, pageOfFloor, refusalSpan } from '@/stores/forum'
import { creditThreadId } from '@/stores/forumMine'
import type { FormError } from '@/stores/result'

const utf8 = (text: string) => new TextEncoder().encode(text)
/** The byte span of `part` inside `text`, as the server computes it. */
function byteSpan(text: string, part: string): { begin: number; end: number } {
  const at = text.indexOf(part)
  const begin = utf8(text.slice(0, at)).length
  return { begin, end: begin + utf8(part).length }
}

const refusal = (details: Record<string, unknown>, code = 'forum.sensitive_word'): FormError => ({
  code,
  message: '内容含有不能发布的文字',
  field: 'body_md',
  retryAfterSeconds: null,
  status: 422,
  details,
})

describe('byteSpanToIndexes: the server’s UTF-8 byte offsets as string indexes', () => {
  it.each([
    ['plain ASCII', 'buy cheap pills now', 'cheap'],
    ['Chinese (3 bytes a character)', '小区加装电梯，赌博网站请勿点', '赌博'],
    ['mixed with ASCII before', 'abc 小区 赌博 def', '赌博'],
    ['an emoji before (4 bytes, 2 UTF-16 units)', '👍👍好的，赌博不好', '赌博'],
    ['the span at the very end', '请不要传播谣言', '谣言'],
    ['the span at the very start', '赌博是违法的', '赌博'],
  ])('%s', (_name, text, part) => {
    const { begin, end } = byteSpan(text, part)
    const { start, end: stop } = byteSpanToIndexes(text, begin, end)
    expect(text.slice(start, stop)).toBe(part)
  })

  it('widens an offset inside a character to the whole character', () => {
    // 赌 is bytes 0..3: a span of bytes 1..4 covers 赌 and 博.
    expect(byteSpanToIndexes('赌博', 1, 4)).toEqual({ start: 0, end: 2 })
  })

  it('stops at the end of the text when the offsets run past it', () => {
    expect(byteSpanToIndexes('ab', 1, 99)).toEqual({ start: 1, end: 2 })
  })
})

describe('refusalSpan', () => {
  it('reads the span of a sensitive-word error in the text sent', () => {
    const text = '👍 大家好，这里有赌博广告'
    const span = refusalSpan(refusal({ span: byteSpan(text, '赌博'), word: '赌博' }), text)
    expect(span && text.slice(span.start, span.end)).toBe('赌博')
  })

  it('is null for other errors and for a malformed span', () => {
    expect(refusalSpan(refusal({ span: { begin: 0, end: 3 } }, 'forum.muted'), '赌博')).toBeNull()
    expect(refusalSpan(refusal({ span: { begin: 3, end: 3 } }), '赌博')).toBeNull()
    expect(refusalSpan(refusal({}), '赌博')).toBeNull()
  })
})

describe('mutedUntil', () => {
  it('reads the end time from `detail`, as a number or an object, or from ends_at_ms', () => {
    expect(mutedUntil(refusal({ detail: 1_800_000_000_000 }, 'forum.muted'))).toBe(1_800_000_000_000)
    expect(mutedUntil(refusal({ detail: { ends_at_ms: 1_800_000_000_001 } }, 'forum.muted'))).toBe(1_800_000_000_001)
    expect(mutedUntil(refusal({ ends_at_ms: 1_800_000_000_002 }, 'forum.muted'))).toBe(1_800_000_000_002)
    // The server's error detail is text: the end as a string of digits.
    expect(mutedUntil(refusal({ detail: '1800000000003' }, 'forum.muted'))).toBe(1_800_000_000_003)
    expect(mutedUntil(refusal({ detail: '' }, 'forum.muted'))).toBeNull()
    expect(mutedUntil(refusal({}, 'forum.muted'))).toBeNull()
  })
})

describe('pageOfFloor', () => {
  it('puts floors 1–20 on page 1, 21 on page 2', () => {
    expect([1, 20, 21, 40, 41].map(pageOfFloor)).toEqual([1, 1, 2, 2, 3])
  })
})

describe('creditThreadId', () => {
  it('takes thread_id, else a thread:N ref; a post ref names no topic', () => {
    expect(creditThreadId({ thread_id: 12 })).toBe(12)
    expect(creditThreadId({ ref: 'thread:7' })).toBe(7)
    expect(creditThreadId({ ref: 'post:41' })).toBeNull()
    expect(creditThreadId({})).toBeNull()
  })
})
