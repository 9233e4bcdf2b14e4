/** 平台运维 strings, zh-CN (the schema for `operator.en.ts`); mounted as `operator` in zh-CN.ts. */
const operatorZh = {
  title: '平台运维',
  outbox: {
    title: '短信发送',
    intro: '发不出去的短信在这里：原因、尝试次数和时间。原因排除后（号码更正、模板通过审核、余额充值）可以重发。',
    counts: '待发送 {queued} 条 · 发送失败 {failed} 条',
    statuses: {
      failed: '发送失败',
      queued: '待发送',
      sent: '已发送',
    },
    templates: {
      recover_code: '找回密码验证码',
      register_code: '注册验证码',
      bind_code: '绑定手机验证码',
    },
    to: '发给 {recipient}',
    attempts: '已尝试 {n} 次',
    created: '{time} 生成',
    sent: '{time} 送达服务商（编号 {ref}）',
    next: '{time} 再试',
    error: '原因：{error}',
    retry: '重发',
    retried: '已重新排队，稍后发送',
    because: {
      not_failed: '未失败，无需重发',
      code_not_sent: '验证码不重发，请居民重新获取',
      too_old: '已超过一天，不再发送',
    },
    empty: {
      failed: '没有发送失败的短信',
      queued: '没有待发送的短信',
      sent: '还没有已发送的短信',
    },
    end: '没有更多了',
  },
}

export default operatorZh
