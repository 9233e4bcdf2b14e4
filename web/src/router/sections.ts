/**
 * The home-page sections. A section opens when the server lists its feature in `GET /meta`
 * `features` (see gating.ts); until then it links to an honest "coming soon" page.
 */
export const SECTION_KEYS = ['shop', 'auction', 'fund', 'grants', 'events', 'services', 'market', 'volunteers', 'training', 'reception', 'forum', 'news'] as const

export type SectionKey = (typeof SECTION_KEYS)[number]

export interface Section {
  key: SectionKey
  /** Vant icon name. */
  icon: string
  /** When the server lists this feature, the section opens at `routeName`. */
  feature?: string
  routeName?: string
  /** Shown only to someone signed in (a guest has nothing to do there). */
  signedInOnly?: boolean
}

export const SECTIONS: readonly Section[] = [
  { key: 'shop', icon: 'shop-o', feature: 'shop', routeName: 'shop' },
  { key: 'auction', icon: 'gem-o', feature: 'auction', routeName: 'auction' },
  { key: 'fund', icon: 'like-o', feature: 'fund', routeName: 'fund' },
  { key: 'grants', icon: 'passed', feature: 'grants', routeName: 'grants' },
  { key: 'events', icon: 'calendar-o', feature: 'events', routeName: 'events' },
  { key: 'services', icon: 'service-o', feature: 'casework', routeName: 'services' },
  { key: 'market', icon: 'exchange', feature: 'market', routeName: 'market' },
  { key: 'volunteers', icon: 'friends-o', feature: 'volunteers', routeName: 'volunteer' },
  { key: 'training', icon: 'medal-o', feature: 'training', routeName: 'training' },
  { key: 'reception', icon: 'wap-home-o', feature: 'reception', routeName: 'reception', signedInOnly: true },
  { key: 'forum', icon: 'chat-o', feature: 'forum', routeName: 'forum' },
  { key: 'news', icon: 'description', feature: 'news', routeName: 'news' },
]

/** The sections the home page shows: all of them to someone signed in, those open to guests otherwise. */
export function homeSections(signedIn: boolean): readonly Section[] {
  return SECTIONS.filter((s) => signedIn || s.signedInOnly !== true)
}

export function isSectionKey(value: unknown): value is SectionKey {
  return typeof value === 'string' && (SECTION_KEYS as readonly string[]).includes(value)
}
