/** Shapes shared by several API modules. */

export type RoleName =
  | 'resident'
  | 'org_staff'
  | 'village_staff'
  | 'fund_admin'
  | 'reviewer'
  | 'trainer'
  /** Writes, publishes and reviews 资讯 (docs/api-news.md); unscoped. */
  | 'editor'
  | 'platform_admin'

/** A role with its optional scope: an organisation or a village (村/居). */
export interface RoleGrant {
  role: RoleName
  org_id: number | null
  org_name: string | null
  village_id: number | null
  village_name: string | null
}

/**
 * An account as the server shows it. `phone`/`email` may be masked or not depending on who
 * asks; the UI masks them again before display and never relies on either form.
 */
export interface User {
  id: number
  display_name: string
  phone: string | null
  email: string | null
  roles: RoleGrant[]
  created_at_ms: number
}

export interface UserEnvelope {
  user: User
}

/** A village or residential community (村/居) as other objects refer to it. */
export interface VillageRef {
  id: number
  name: string
}

/** `GET /api/v1/villages`: the full record (docs/api.md); only the fields the app reads. */
export interface Village extends VillageRef {
  kind: 'village' | 'community'
  rural: boolean
  created_at_ms: number
}
