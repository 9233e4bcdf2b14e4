/**
 * Copies a text (a link) to the clipboard and says how it went: `copied` is 'yes', 'failed' (no
 * clipboard, as inside some in-app browsers: the page then shows the text to press and hold), or
 * null before the first try.
 */
import { ref } from 'vue'

export function useCopyText() {
  const copied = ref<'yes' | 'failed' | null>(null)

  async function copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text)
      copied.value = 'yes'
    } catch {
      copied.value = 'failed'
    }
  }

  return { copied, copy }
}
