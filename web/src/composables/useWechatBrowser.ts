/**
 * Inside WeChat's built-in browser: WeChat Pay opens its own payment sheet there (JSAPI, through
 * `WeixinJSBridge`), WeChat Pay's H5 page refuses to run, and Alipay is blocked. The pay page asks
 * here which of those applies.
 */
import type { PayAction } from '@/api/payments'

/** WeChat's browser says `MicroMessenger/…` in its user agent (WeChat Work's too). */
export function isWechatBrowser(userAgent: string = navigator.userAgent): boolean {
  return /MicroMessenger\//i.test(userAgent)
}

export type JsapiParams = Extract<PayAction, { type: 'jsapi' }>['params']

/** How the payment sheet ended: paid, closed by the payer, or failed (WeChat's reason). */
export type SheetOutcome = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; reason: string }

interface WeixinJSBridge {
  invoke(method: string, params: object, callback: (res: { err_msg?: string; errMsg?: string }) => void): void
}

declare global {
  interface Window {
    WeixinJSBridge?: WeixinJSBridge
  }
}

/** WeChat injects the bridge after the page starts; wait for it (at most `timeoutMs`). */
function bridge(timeoutMs: number): Promise<WeixinJSBridge | null> {
  if (window.WeixinJSBridge) {
    return Promise.resolve(window.WeixinJSBridge)
  }
  return new Promise((resolve) => {
    const timer = window.setTimeout(() => resolve(window.WeixinJSBridge ?? null), timeoutMs)
    document.addEventListener(
      'WeixinJSBridgeReady',
      () => {
        window.clearTimeout(timer)
        resolve(window.WeixinJSBridge ?? null)
      },
      { once: true },
    )
  })
}

/**
 * Opens WeChat Pay's sheet with the server-signed parameters (`getBrandWCPayRequest`). "ok" only
 * means the payer finished in the sheet: the payment is confirmed by WeChat's notification (or a
 * query), never by this answer.
 */
export async function openWechatPaySheet(params: JsapiParams, timeoutMs = 5_000): Promise<SheetOutcome> {
  const jsBridge = await bridge(timeoutMs)
  if (!jsBridge) {
    return { kind: 'fail', reason: 'no WeixinJSBridge' }
  }
  return new Promise((resolve) => {
    jsBridge.invoke('getBrandWCPayRequest', params, (res) => {
      const message = res.err_msg ?? res.errMsg ?? ''
      if (message.endsWith(':ok')) {
        resolve({ kind: 'ok' })
      } else if (message.endsWith(':cancel')) {
        resolve({ kind: 'cancel' })
      } else {
        resolve({ kind: 'fail', reason: message })
      }
    })
  })
}
