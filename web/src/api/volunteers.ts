/**
 * `/api/v1/volunteers/me*`: registering as a volunteer (志愿者), the service hours recorded by the
 * organisations whose events one served at, and the printable certificate (docs/api-events.md).
 */
import { http } from './client'

export interface Volunteer {
  user_id: number
  real_name: string
  registered_at_ms: number
  total_minutes: number
}

/** One certified service record: the organisation that ran the event recorded it. */
export interface ServiceRecord {
  id: number
  event_id: number
  org_id: number
  org_name: string
  title: string
  service_date_ms: number
  minutes: number
  recorded_at_ms: number
}

export interface MyVolunteering {
  volunteer: Volunteer | null
  records: ServiceRecord[]
}

/** Path of the printable certificate (HTML attachment); 404 `not_volunteer`. */
export const CERTIFICATE_URL = '/api/v1/volunteers/me/certificate.html'

/** Login required. `volunteer` is null until registered. */
export function getMyVolunteering(): Promise<MyVolunteering> {
  return http.get<MyVolunteering>('/volunteers/me')
}

/** 201; 409 `already_volunteer`. */
export function registerVolunteer(realName: string): Promise<{ volunteer: Volunteer }> {
  return http.post<{ volunteer: Volunteer }>('/volunteers/me', { real_name: realName })
}
