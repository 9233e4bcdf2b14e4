/**
 * Instants written as wall-clock time in Asia/Shanghai (UTC+8, no daylight saving), the zone the
 * app shows and reads every time in — so a test never depends on the process's own TZ.
 * `month` counts from 0, as `Date.UTC`.
 */
export function shanghai(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month, day, hour - 8, minute)
}
