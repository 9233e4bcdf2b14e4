/** `/api/v1/meta`: public facts about this deployment. */
import { http } from './client'

export interface Meta {
  name: string
  version: string
  /** The privacy-policy version a new account must accept. */
  consent_version: string
  public_origin: string
}

export function getMeta(): Promise<Meta> {
  return http.get<Meta>('/meta')
}
