/**
 * Care Fund administration for `fund_admin` users: each action is one server call returning a
 * `Result` (field errors included) so the form can show them; lists are kept for their pages.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as adminApi from '@/api/fundAdmin'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

export type {
  AdminDisbursement,
  AllocationStatus,
  CreateAllocationRequest,
  CreateCommitmentRequest,
  CreatePurposeRequest,
  CreateSponsorshipRequest,
  Disclosure,
  DisclosureCalendar,
  DisbursementStatus,
  InstalmentRequest,
  ProposeDisbursementRequest,
  PublishDisclosureRequest,
  SponsorKind,
  Sponsorship,
} from '@/api/fundAdmin'

export const useFundAdminStore = defineStore('fundAdmin', () => {
  const auth = useAuthStore()
  const sponsorships = ref<adminApi.Sponsorship[]>([])
  const disbursements = ref<adminApi.AdminDisbursement[]>([])
  const disclosures = ref<adminApi.DisclosureCalendar>({ due: [], overdue: [], published: [] })

  /** Runs one admin call; a 401 means the session ended elsewhere: sign out locally. */
  async function run<T>(call: () => Promise<T>): Promise<Result<T>> {
    const result = await attempt(call)
    if (!result.ok && result.error.status === 401) {
      auth.clear()
    }
    return result
  }

  const createPurpose = (body: adminApi.CreatePurposeRequest) => run(() => adminApi.createPurpose(body))
  const createAllocation = (body: adminApi.CreateAllocationRequest) => run(() => adminApi.createAllocation(body))
  const createCommitment = (body: adminApi.CreateCommitmentRequest) => run(() => adminApi.createCommitment(body))
  const refundDonation = (id: number, reason: string) => run(() => adminApi.refundDonation(id, reason))

  async function loadSponsorships(): Promise<Result> {
    const result = await run(adminApi.listSponsorships)
    if (!result.ok) {
      return result
    }
    sponsorships.value = result.value.sponsorships
    return ok()
  }

  async function createSponsorship(body: adminApi.CreateSponsorshipRequest): Promise<Result> {
    const result = await run(() => adminApi.createSponsorship(body))
    return result.ok ? loadSponsorships() : result
  }

  async function recordInstalment(id: number, body: adminApi.InstalmentRequest): Promise<Result> {
    const result = await run(() => adminApi.recordInstalment(id, body))
    return result.ok ? loadSponsorships() : result
  }

  async function loadDisbursements(status: adminApi.DisbursementStatus): Promise<Result> {
    const result = await run(() => adminApi.listDisbursements(status))
    if (!result.ok) {
      return result
    }
    disbursements.value = result.value.disbursements
    return ok()
  }

  async function proposeDisbursement(body: adminApi.ProposeDisbursementRequest): Promise<Result> {
    const result = await run(() => adminApi.proposeDisbursement(body))
    return result.ok ? loadDisbursements('proposed') : result
  }

  /** Approves; 403 `self_approval` when the caller proposed it. Reloads the proposed list. */
  async function approveDisbursement(id: number): Promise<Result> {
    const result = await run(() => adminApi.approveDisbursement(id))
    return result.ok ? loadDisbursements('proposed') : result
  }

  async function loadDisclosures(): Promise<Result> {
    const result = await run(adminApi.getDisclosures)
    if (!result.ok) {
      return result
    }
    disclosures.value = {
      due: result.value.due ?? [],
      overdue: result.value.overdue ?? [],
      published: result.value.published ?? [],
    }
    return ok()
  }

  async function publishDisclosure(body: adminApi.PublishDisclosureRequest): Promise<Result> {
    const result = await run(() => adminApi.publishDisclosure(body))
    return result.ok ? loadDisclosures() : result
  }

  return {
    sponsorships,
    disbursements,
    disclosures,
    createPurpose,
    createAllocation,
    createCommitment,
    refundDonation,
    loadSponsorships,
    createSponsorship,
    recordInstalment,
    loadDisbursements,
    proposeDisbursement,
    approveDisbursement,
    loadDisclosures,
    publishDisclosure,
  }
})
