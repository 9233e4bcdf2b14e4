/**
 * What every pay page shares (the sandbox's and the real providers'): the payment in the path,
 * the guest's access token from the pay link (`?token=`, null for a signed-in payer), loading it
 * on mount, and "not found or not yours" for anyone but its payer.
 */
import { computed, onMounted, ref } from 'vue'
import { useRoute } from 'vue-router'
import { useQueryParam } from '@/composables/useQueryParam'
import { usePaymentStore } from '@/stores/payment'
import { type FormError, isNotFound } from '@/stores/result'

export function usePayPage() {
  const route = useRoute()
  const payments = usePaymentStore()
  const id = computed(() => String(route.params.id))
  const token = useQueryParam('token')
  const loading = ref(true)
  const error = ref<FormError | null>(null)
  const notYours = computed(() => isNotFound(error.value, 'payment_not_found'))
  const payment = computed(() => (payments.payment?.id === id.value ? payments.payment : null))

  async function load(): Promise<void> {
    error.value = null
    loading.value = true
    const result = await payments.load(id.value, token.value)
    loading.value = false
    if (!result.ok) {
      error.value = result.error
    }
  }

  onMounted(load)
  return { payments, id, token, loading, error, notYours, payment }
}
