import { afterEach, describe, expect, it } from 'vitest'
import { isWechatBrowser, openWechatPaySheet } from '@/composables/useWechatBrowser'

const params = { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'RSA', paySign: 's' }

afterEach(() => {
  delete window.WeixinJSBridge
})

describe('useWechatBrowser', () => {
  it('knows WeChat’s browser by MicroMessenger in its user agent, and nothing else', () => {
    expect(isWechatBrowser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI')).toBe(true)
    expect(isWechatBrowser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1')).toBe(false)
    expect(isWechatBrowser('Mozilla/5.0 (Linux; Android 13) AlipayClient/10.5.0')).toBe(false)
  })

  it('waits for the bridge WeChat injects late, and reads the sheet’s three endings', async () => {
    const pending = openWechatPaySheet(params, 1_000)
    window.WeixinJSBridge = { invoke: (_m, _p, callback) => callback({ err_msg: 'get_brand_wcpay_request:ok' }) }
    document.dispatchEvent(new Event('WeixinJSBridgeReady'))
    expect(await pending).toEqual({ kind: 'ok' })
    window.WeixinJSBridge = { invoke: (_m, _p, callback) => callback({ err_msg: 'get_brand_wcpay_request:cancel' }) }
    expect(await openWechatPaySheet(params)).toEqual({ kind: 'cancel' })
    window.WeixinJSBridge = { invoke: (_m, _p, callback) => callback({ err_msg: 'get_brand_wcpay_request:fail_invalid appid' }) }
    expect(await openWechatPaySheet(params)).toEqual({ kind: 'fail', reason: 'get_brand_wcpay_request:fail_invalid appid' })
  })

  it('fails, rather than hangs, where there is no bridge', async () => {
    expect(await openWechatPaySheet(params, 10)).toEqual({ kind: 'fail', reason: 'no WeixinJSBridge' })
  })
})
