/**
 * Words of 社工证 / 人才库 / 培训成效: level and status names, the search's qualification choices,
 * and practice minutes as hours with one decimal (the dashboard's figures, as its CSV writes them).
 */
import { useI18n } from 'vue-i18n'
import type { InvitationStatus, QualificationLevel, QualificationStatus } from '@/api/talent'

/** Minutes as hours with one decimal, rounded half up on tenths: 3510 → "58.5", 0 → "0.0". */
export function minutesToHours(minutes: number): string {
  const tenths = Math.round((Math.max(0, minutes) * 10) / 60)
  return `${Math.floor(tenths / 10)}.${tenths % 10}`
}

/** The search's qualification filter: any, or a level and above. */
export type QualificationChoice = 'any' | QualificationLevel
export const QUALIFICATION_CHOICES: readonly QualificationChoice[] = ['any', 'assistant', 'social_worker', 'senior']

/** Vant tag type of a qualification's or invitation's status. */
export const STATUS_TAG: Record<QualificationStatus | InvitationStatus, 'primary' | 'success' | 'danger' | 'default'> = {
  pending: 'primary',
  verified: 'success',
  rejected: 'danger',
  invited: 'primary',
  accepted: 'success',
  declined: 'default',
}

export function useTalentText() {
  const { t, te } = useI18n()
  /** A level as the server gave it: its name when it is one of ours, else the text itself. */
  const levelText = (level: string | undefined): string => (level === undefined || level === '' ? '' : te(`talent.levels.${level}`) ? t(`talent.levels.${level}`) : level)
  const levelLabel = (level: QualificationLevel): string => t(`talent.levels.${level}`)
  const qualificationStatus = (status: QualificationStatus): string => t(`talent.qualification.status.${status}`)
  const invitationStatus = (status: InvitationStatus): string => t(`talent.invitations.status.${status}`)
  const choiceLabel = (choice: QualificationChoice): string => t(`talent.search.qualification.${choice}`)
  const hoursText = (minutes: number): string => t('talent.hours', { hours: minutesToHours(minutes) })
  return { levelText, levelLabel, qualificationStatus, invitationStatus, choiceLabel, hoursText }
}
