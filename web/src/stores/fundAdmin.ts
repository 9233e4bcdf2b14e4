/**
 * Care Fund administration for `fund_admin` users: each action is one server call returning a
 * `Result` (field errors included) so the form can show them; lists are kept for their pages,
 * which reload them after an action (a failed reload must not turn a done action into an error).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as authApi from '@/api/auth'
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
  Org,
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
  const orgs = ref<adminApi.Org[]>([])

  /**
   * Runs one admin call; a 401 means the session ended elsewhere: sign out locally — except
   * `reauth_required` (a payout wants the password again) and `wrong_password` (given again wrongly),
   * where the session is fine.
   */
  async function run<T>(call: () => Promise<T>): Promise<Result<T>> {
    const result = await attempt(call)
    if (
      !result.ok &&
      result.error.status === 401 &&
      result.error.code !== 'reauth_required' &&
      result.error.code !== 'wrong_password'
    ) {
      auth.clear()
    }
    return result
  }

  /** Proves the password again, so a payout approval that answered `reauth_required` may go ahead. */
  const reauthenticate = (password: string) => run(() => authApi.reauthenticate(password))

  const createPurpose = (body: adminApi.CreatePurposeRequest) => run(() => adminApi.createPurpose(body))
  const createAllocation = (body: adminApi.CreateAllocationRequest) => run(() => adminApi.createAllocation(body))
  const recordCofunding = (body: adminApi.RecordCofundingRequest) => run(() => adminApi.recordCofunding(body))
  const createCommitment = (body: adminApi.CreateCommitmentRequest) => run(() => adminApi.createCommitment(body))
  /** Refunds the donation of the receipt the donor quotes (票据号). */
  const refundByReceipt = (receiptNo: string, reason: string) => run(() => adminApi.refundByReceipt(receiptNo, reason))

  /** The organisations a grant can go to (with the numbers the grant form asks for). */
  async function loadOrgs(): Promise<Result> {
    const result = await run(adminApi.listOrgs)
    if (!result.ok) {
      return result
    }
    orgs.value = result.value.orgs
    return ok()
  }

  async function loadSponsorships(): Promise<Result> {
    const result = await run(adminApi.listSponsorships)
    if (!result.ok) {
      return result
    }
    sponsorships.value = result.value.sponsorships
    return ok()
  }

  const createSponsorship = (body: adminApi.CreateSponsorshipRequest) => run(() => adminApi.createSponsorship(body))
  const recordInstalment = (id: number, body: adminApi.InstalmentRequest) => run(() => adminApi.recordInstalment(id, body))

  async function loadDisbursements(status: adminApi.DisbursementStatus): Promise<Result> {
    const result = await run(() => adminApi.listDisbursements(status))
    if (!result.ok) {
      return result
    }
    disbursements.value = result.value.disbursements
    return ok()
  }

  const proposeDisbursement = (body: adminApi.ProposeDisbursementRequest) => run(() => adminApi.proposeDisbursement(body))
  /** 403 `self_approval` when the caller proposed it; above the threshold two approvals are needed. */
  const approveDisbursement = (id: number) => run(() => adminApi.approveDisbursement(id))

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

  const publishDisclosure = (body: adminApi.PublishDisclosureRequest) => run(() => adminApi.publishDisclosure(body))

  return {
    orgs,
    loadOrgs,
    sponsorships,
    disbursements,
    disclosures,
    createPurpose,
    createAllocation,
    recordCofunding,
    createCommitment,
    refundByReceipt,
    loadSponsorships,
    createSponsorship,
    recordInstalment,
    loadDisbursements,
    proposeDisbursement,
    approveDisbursement,
    reauthenticate,
    loadDisclosures,
    publishDisclosure,
  }
})
