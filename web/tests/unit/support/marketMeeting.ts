/** Fixtures of a 供需见面会: a meeting with two booths in two hours, shortlist entries. */
import type { Booth, Meeting, Shortlisted } from '@/api/marketMeeting'
import { MPROJECT_ID } from './market'

export const MEETING_ID = 'meetaaaaaaaaaaaaaaaa'
export const OTHER_PROJECT_ID = 'mprojbbbbbbbbbbbbbbb'
export const BOOTH_ID = 'boothaaaaaaaaaaaaaaa'
const HOUR = 3_600_000
/** Tomorrow at a whole hour: the meeting is upcoming whatever the clock says. */
export const START = Math.floor((Date.now() + 24 * HOUR) / HOUR) * HOUR

export function booth(overrides: Partial<Booth> = {}): Booth {
  return {
    id: BOOTH_ID,
    org_id: 5,
    org_name: '博睿社工',
    project_id: MPROJECT_ID,
    project_title: '独居长者“平安铃”探访',
    project_type: '长者服务',
    starts_at_ms: START,
    ends_at_ms: START + HOUR,
    table_no: 'A1',
    shortlisted_by: 1,
    ...overrides,
  }
}

export function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: MEETING_ID,
    event_id: 8,
    title: '2012年关爱桂城社会服务供需见面会',
    description: '村(居)与社工机构面对面',
    host_org_id: 5,
    host_org_name: '博睿社工',
    venue: { name: '关爱桂城企业创享家', address: '南海大道北' },
    starts_at_ms: START,
    ends_at_ms: START + 3 * HOUR,
    seats_per_village: 3,
    seats_per_org: 2,
    villages: [
      { id: 3, name: '叠滘村' },
      { id: 4, name: '夏北社区' },
    ],
    orgs: [
      { id: 5, name: '博睿社工' },
      { id: 6, name: '启创社工' },
    ],
    booths: [booth(), booth({ id: 'boothbbbbbbbbbbbbbbb', org_id: 6, org_name: '启创社工', project_id: OTHER_PROJECT_ID, project_title: '长者防跌倒改造', starts_at_ms: START + HOUR, ends_at_ms: START + 2 * HOUR, table_no: 'B2', shortlisted_by: 0 })],
    report: { projects_presented: 38, villages_invited: 5, villages_shortlisting: 4, intentions: 7, quote_requests: 3, contracts: 3, contracts_fen: 12_500_000, attendees_checked_in: 21 },
    ...overrides,
  }
}

export function shortlisted(overrides: Partial<Shortlisted> = {}): Shortlisted {
  return { village_id: 3, village_name: '叠滘村', booth: booth(), quote_request_id: null, quote_request_status: null, created_at_ms: START - HOUR, ...overrides }
}

export const villages = (rural: boolean) => ({
  villages: [{ id: 3, name: '叠滘村', kind: rural ? 'village' : 'community', rural, created_at_ms: 0 }],
})
