import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useMetaStore } from '@/stores/meta'
import { setTimeZone, timeZone } from '@/time/zone'
import { jsonResponse, stubFetch } from '../support/fetch'

const meta = (timeZoneName?: string) => ({
  name: '关爱城市',
  version: '0.1.0',
  consent_version: '2026-11',
  public_origin: '',
  features: [],
  ...(timeZoneName === undefined ? {} : { time_zone: timeZoneName }),
})

beforeEach(() => {
  setActivePinia(createPinia())
  setTimeZone('Europe/London')
})

afterEach(() => {
  setTimeZone(undefined)
})

describe('meta time zone', () => {
  it('applies the zone the server publishes', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta('America/New_York')) })
    await useMetaStore().load()
    expect(timeZone()).toBe('America/New_York')
  })

  it('reads a missing or unknown zone as Asia/Shanghai', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta()) })
    await useMetaStore().load()
    expect(timeZone()).toBe('Asia/Shanghai')

    setActivePinia(createPinia())
    setTimeZone('Europe/London')
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta('Not/A_Zone')) })
    await useMetaStore().load()
    expect(timeZone()).toBe('Asia/Shanghai')
  })
})
