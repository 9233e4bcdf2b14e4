/**
 * Verification of a donation receipt (捐赠票据) by its number: the public verification (donor
 * masked, `full: false`), or with its check code (the QR link carries it) the whole receipt.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as fundApi from '@/api/fund'
import { attempt, ok, type Result } from './result'

export type { Receipt } from '@/api/fund'

/** What a verification found: a valid or void receipt, or no receipt with that number. */
export type Verification =
  | { state: 'valid'; receipt: fundApi.Receipt }
  | { state: 'void'; receipt: fundApi.Receipt }
  | { state: 'not_found'; receiptNo: string }

/** Re-exported for pages, which never import `api/`. */
export const receiptQrUrl = fundApi.receiptQrUrl

export const useReceiptStore = defineStore('receipt', () => {
  const verification = ref<Verification | null>(null)

  /**
   * Looks the receipt up, with its check code when known (null: the public verification). "Not
   * found" is an answer, not an error: it is returned as a value; only failures to get an answer
   * (offline, server error) are errors.
   */
  async function verify(receiptNo: string, checkCode: string | null = null): Promise<Result<Verification>> {
    verification.value = null
    const result = await attempt(() => fundApi.getReceipt(receiptNo, checkCode))
    let value: Verification
    if (result.ok) {
      const receipt = result.value.receipt
      value = receipt.status === 'valid' ? { state: 'valid', receipt } : { state: 'void', receipt }
    } else if (result.error.status === 404 && result.error.code === 'receipt_not_found') {
      value = { state: 'not_found', receiptNo }
    } else {
      return result
    }
    verification.value = value
    return ok(value)
  }

  return { verification, verify }
})
