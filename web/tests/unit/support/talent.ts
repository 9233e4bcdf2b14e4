/** Fixtures of 社工证 · 人才库, shaped as docs/api-talent.md answers them. */
import type { Qualification } from '@/api/talent'
import { NOW } from './events'

/** A pending 社工证 of 陈阿姨 without a scan; `overrides` for the rest. */
export const qualification = (overrides: Partial<Qualification> = {}): Qualification => ({
  id: 'Qk1',
  user_id: 21,
  name: '陈阿姨',
  phone: '138****0001',
  level: 'assistant',
  number: 'ZS20260001',
  status: 'pending',
  reason: '',
  professional: false,
  decided_at_ms: null,
  created_at_ms: NOW,
  scan: null,
  ...overrides,
})
