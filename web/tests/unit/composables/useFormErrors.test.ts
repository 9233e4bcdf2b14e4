import { mount } from '@vue/test-utils'
import { defineComponent } from 'vue'
import { describe, expect, it } from 'vitest'
import { useFormErrors } from '@/composables/useFormErrors'
import { createAppI18n } from '@/locales'
import type { FormError } from '@/stores/result'

const FIELDS = ['carrier', 'tracking_no'] as const

/** useFormErrors inside a component, as pages use it (it needs vue-i18n). */
function formErrors() {
  let errors: ReturnType<typeof useFormErrors<(typeof FIELDS)[number]>> | undefined
  mount(
    defineComponent({
      setup() {
        errors = useFormErrors(FIELDS)
        return () => null
      },
    }),
    { global: { plugins: [createAppI18n('zh-CN')] } },
  )
  return errors!
}

const serverError = (field: string | null, message: string): FormError => ({
  code: 'invalid_value',
  message,
  field,
  retryAfterSeconds: null,
  status: 400,
})

describe('useFormErrors', () => {
  it('puts a server error naming a shown field under that field, and editing that field clears it', () => {
    const errors = formErrors()
    errors.setServerError(serverError('tracking_no', '快递单号须为 4 到 40 个字符'))
    expect(errors.fieldError('tracking_no')).toBe('快递单号须为 4 到 40 个字符')
    expect(errors.fieldError('carrier')).toBe('')
    expect(errors.formError.value).toBe('')
    errors.clearField('carrier')
    expect(errors.fieldError('tracking_no')).toBe('快递单号须为 4 到 40 个字符')
    errors.clearField('tracking_no')
    expect(errors.fieldError('tracking_no')).toBe('')
    expect(errors.serverError.value).toBeNull()
  })

  it('clears only the edited field’s own check', () => {
    const errors = formErrors()
    errors.setClientError('carrier', '此项必填')
    errors.setClientError('tracking_no', '此项必填')
    errors.clearField('carrier')
    expect(errors.fieldError('carrier')).toBe('')
    expect(errors.fieldError('tracking_no')).toBe('此项必填')
    expect(errors.hasClientErrors()).toBe(true)
  })

  it('keeps an error naming no shown field above the form while fields are edited', () => {
    const errors = formErrors()
    errors.setServerError(serverError(null, '订单已退款'))
    errors.clearField('carrier')
    expect(errors.formError.value).toBe('订单已退款')
    errors.setServerError(serverError('id', '没有这个订单'))
    expect(errors.formError.value).toBe('没有这个订单')
  })
})
