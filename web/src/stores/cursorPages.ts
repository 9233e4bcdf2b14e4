/**
 * A list loaded page by page through the server's `next_cursor` (passed back as `before`), with
 * its filters: the one implementation behind 活动 and 公益商城's lists. Setup stores call it and
 * return its refs and actions as their own.
 */
import { type Ref, ref } from 'vue'
import { attempt, ok, type Result } from './result'

export interface CursorPage<T> {
  items: T[]
  next_cursor: string | null
}

export function cursorPages<T extends { id: string | number }, Q extends object>(
  fetchPage: (query: Q, cursor: string | null) => Promise<CursorPage<T>>,
) {
  const query = ref({}) as Ref<Q>
  const items = ref([]) as Ref<T[]>
  const nextCursor = ref<string | null>(null)
  const finished = ref(false)
  let pageRequest: Promise<Result> | null = null

  /** Starts the list again from the first page with these filters. */
  function setQuery(value: Q): void {
    query.value = { ...value }
    items.value = []
    nextCursor.value = null
    finished.value = false
    pageRequest = null
  }

  /**
   * Appends the next page. Concurrent calls share one request, so an infinite-scroll list firing
   * twice never loads a page twice; a page that arrives after the filters changed is dropped.
   */
  function loadMore(): Promise<Result> {
    if (finished.value) {
      return Promise.resolve(ok())
    }
    if (pageRequest === null) {
      const cursor = nextCursor.value
      const filters = query.value
      const request = attempt(() => fetchPage(filters, cursor)).then((result): Result => {
        if (pageRequest !== request) {
          return ok()
        }
        pageRequest = null
        if (!result.ok) {
          return result
        }
        const known = new Set(items.value.map((item) => item.id))
        items.value = [...items.value, ...result.value.items.filter((item) => !known.has(item.id))]
        nextCursor.value = result.value.next_cursor
        finished.value = result.value.next_cursor === null
        return ok()
      })
      pageRequest = request
    }
    return pageRequest
  }

  return { query, items, nextCursor, finished, setQuery, loadMore }
}
