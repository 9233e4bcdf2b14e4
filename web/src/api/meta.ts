/** `/api/v1/meta`: public facts about this deployment. */
import { http } from './client'

export interface Meta {
  name: string
  version: string
  /** The privacy-policy version a new account must accept. */
  consent_version: string
  public_origin: string
  /** Sections this server serves (`fund`, `fund_admin`, …). Older servers omit it: read as []. */
  features?: string[]
  /**
   * The subdistrict's IANA time zone (`Asia/Shanghai`): every time is shown and typed in it.
   * Older servers omit it: read as `Asia/Shanghai` (`time/zone.ts`).
   */
  time_zone?: string
}

export function getMeta(): Promise<Meta> {
  return http.get<Meta>('/meta')
}
