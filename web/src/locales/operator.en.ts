/** Operations strings, English; same keys as `operator.zh-CN.ts` (checked by the type). */
import type operatorZh from './operator.zh-CN'

const operatorEn: typeof operatorZh = {
  title: 'Operations',
  outbox: {
    title: 'Text messages',
    intro: 'Texts that could not be sent are here, with the reason, the attempts and the times. Once the cause is gone (number corrected, template approved, balance topped up) send one again.',
    counts: '{queued} waiting · {failed} failed',
    statuses: {
      failed: 'Failed',
      queued: 'Waiting',
      sent: 'Sent',
    },
    templates: {
      recover_code: 'Password recovery code',
      register_code: 'Registration code',
      bind_code: 'Phone binding code',
    },
    to: 'To {recipient}',
    attempts: '{n} attempts',
    created: 'Queued {time}',
    sent: 'Handed to the provider {time} (serial {ref})',
    next: 'Next try {time}',
    error: 'Reason: {error}',
    retry: 'Send again',
    retried: 'Queued again; it goes out shortly',
    because: {
      not_failed: 'Not failed: nothing to send again',
      code_not_sent: 'A code is not sent again; the resident asks for a new one',
      too_old: 'More than a day old: not sent any more',
    },
    empty: {
      failed: 'No failed texts',
      queued: 'No texts waiting',
      sent: 'No texts sent yet',
    },
    end: 'No more',
  },
}

export default operatorEn
