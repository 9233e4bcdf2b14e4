/** Saves data as a file through a temporary object URL (no server round trip). */
export function downloadJson(filename: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Revoke later: some mobile browsers read the URL asynchronously after click().
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000)
}
