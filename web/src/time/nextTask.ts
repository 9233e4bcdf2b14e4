/**
 * Resolves in a later task, letting the browser paint and handle input first: `scheduler.yield()`
 * where there is one (Chrome 129+, which also keeps this work ahead of other queued tasks), else a
 * zero timeout.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  return typeof scheduler?.yield === 'function' ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0))
}
