/**
 * Donating through the real providers' flows on a phone (390×844), against the real server and
 * local doubles of WeChat Pay and Alipay (`carecity-doubles`: their protocols, their own keys,
 * their signed notifications; docs/design-channels.md 7.4). The server is configured exactly as a
 * subdistrict configures it, only with the doubles' base URLs and their CA:
 *
 * - WeChat Pay in a phone browser: ¥20 as a guest → our pay page (微信支付) → WeChat Pay's H5 page
 *   (the double's) → 确认支付 → back on the donation, confirmed by WeChat's signed notification,
 *   with its receipt.
 * - The same inside WeChat's browser (MicroMessenger user agent): the JSAPI sheet needs the payer's
 *   WeChat identity, which this platform cannot obtain yet, so the page explains how to open it in
 *   the browser and offers the link; the payer cancels, and the order is closed at WeChat.
 * - Alipay in a phone browser: our pay page (支付宝) → Alipay's cashier (the double's, from a signed
 *   wap.pay link) → 付款 → 返回商家 → the donation confirmed by Alipay's signed notification.
 *
 * Screenshots go to $E2E_OUT.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  type DemoSuite,
  ensureOutDir,
  freePort,
  openPhonePage,
  type PhonePage,
  type RunningDoubles,
  scratchDir,
  screenshot,
  sel,
  startDemoSuite,
  startDoubles,
  stopDemoSuite,
  writeRunLogs,
} from './support'

const PUBLIC_ID = '[a-z2-7]{20}'
const TOKEN = '[0-9a-f]{32}'
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN'

const scratch = scratchDir('carecity-pay-providers-e2e-')
const doubles: RunningDoubles = await startDoubles(join(scratch.path, 'doubles'))

/** A demo server whose new payments go to `provider`, calling back at its own known address. */
async function startProviderSuite(provider: 'wechatpay' | 'alipay'): Promise<DemoSuite> {
  const port = await freePort()
  const configFile = join(scratch.path, `${provider}.toml`)
  writeFileSync(
    configFile,
    `${readFileSync(doubles.config, 'utf8')}\n[server]\npublic_origin = "http://127.0.0.1:${port}"\n\n[payments]\nprovider = "${provider}"\n`,
  )
  return startDemoSuite({
    name: `pay-${provider}`,
    features: ['fund'],
    api: 'fund',
    requireEnv: 'CARECITY_REQUIRE_FUND',
    serverArgs: ['--config', configFile],
    listen: `127.0.0.1:${port}`,
  })
}

/** From /fund/donate: ¥20 under `name`, landing on `provider`'s pay page with the guest's token. */
async function donateTwenty(page: Page, origin: string, name: string, provider: string): Promise<void> {
  await page.goto(origin + '/fund/donate')
  await expect.poll(() => page.locator(`${sel('purpose-picker')} .van-radio`).count()).toBeGreaterThan(0)
  await page.locator(sel('preset-2000')).click()
  await page.locator(`${sel('donate-name')} input`).fill(name)
  await page.locator(sel('donate-submit')).click()
  await page.waitForURL(new RegExp(`/pay/${provider}/${PUBLIC_ID}\\?token=${TOKEN}$`))
  await expect.poll(() => page.locator(sel('pay-amount')).textContent()).toBe('¥20.00')
}

/** Back on the donation (token kept): confirmed by the provider's notification, with its receipt. */
async function expectConfirmedWithReceipt(page: Page, donor: string): Promise<void> {
  await page.waitForURL(new RegExp(`/fund/donations/${PUBLIC_ID}\\?token=${TOKEN}$`))
  await expect.poll(() => page.locator(sel('donation-status')).getAttribute('data-status'), { timeout: 30_000 }).toBe('confirmed')
  await expect.poll(() => page.locator(sel('receipt-no')).isVisible()).toBe(true)
  expect(((await page.locator(sel('receipt-donor')).textContent()) ?? '').trim()).toBe(donor)
  expect(await page.locator(sel('receipt-amount')).textContent()).toBe('¥20.00')
}

const wechatSuite = await startProviderSuite('wechatpay')
const alipaySuite = await startProviderSuite('alipay')

describe.skipIf(wechatSuite.skip)('WeChat Pay through its double', () => {
  const suite = wechatSuite
  const { server, step } = suite
  let phone: PhonePage
  let wechat: PhonePage | undefined
  let page: Page

  beforeAll(async () => {
    phone = await openPhonePage(join(suite.workDir, 'profile'), [], { ignoreHTTPSErrors: true })
    page = phone.page
  })

  afterAll(async () => {
    if (wechat) {
      writeRunLogs('pay-wechatpay-in-wechat-', wechat, undefined)
      await wechat.context.close()
    }
    await stopDemoSuite(suite, phone)
  })

  step('in a phone browser: ¥20 → WeChat Pay’s H5 page → paid → the confirmed donation with its receipt', async () => {
    await donateTwenty(page, server.url, '李小华', 'wechatpay')
    expect(await page.locator(sel('pay-provider')).textContent()).toBe('微信支付')
    expect(await page.locator(sel('sandbox-label')).count()).toBe(0)
    await screenshot(page, 'pay-wechatpay-01-pay-page')
    await page.locator(sel('pay-go')).click()
    // WeChat Pay's own page (the double's), reached through the h5_url the server was given.
    await page.waitForURL((url) => url.origin === new URL(doubles.wechatpay).origin && url.pathname.startsWith('/double/h5/'))
    expect(await page.getByText('￥20.00').count()).toBe(1)
    await screenshot(page, 'pay-wechatpay-02-h5-cashier')
    await page.getByRole('button', { name: '确认支付' }).click()
    await expectConfirmedWithReceipt(page, '李小华')
    await screenshot(page, 'pay-wechatpay-03-confirmed')
  })

  step('inside WeChat: no sheet without the payer’s WeChat identity, the way to the browser instead; cancel closes it', async () => {
    wechat = await openPhonePage(join(suite.workDir, 'profile-wechat'), [], { userAgent: WECHAT_UA, ignoreHTTPSErrors: true })
    const inWechat = wechat.page
    await donateTwenty(inWechat, server.url, '王小明', 'wechatpay')
    const payUrl = inWechat.url()
    await inWechat.locator(sel('pay-go')).click()
    await expect.poll(() => inWechat.locator(sel('pay-open-in-browser')).isVisible()).toBe(true)
    expect(await inWechat.locator(sel('pay-open-in-browser')).textContent()).toContain('在浏览器打开')
    expect(await inWechat.locator(sel('pay-link')).textContent()).toBe(payUrl)
    expect(await inWechat.locator(sel('pay-go')).count()).toBe(0)
    await screenshot(inWechat, 'pay-wechatpay-04-in-wechat-open-in-browser')
    await inWechat.locator(sel('pay-cancel')).click()
    await inWechat.waitForURL(new RegExp(`/fund/donations/${PUBLIC_ID}\\?token=${TOKEN}$`))
    await expect.poll(() => inWechat.locator(sel('donation-status')).getAttribute('data-status')).toBe('closed')
    await screenshot(inWechat, 'pay-wechatpay-05-cancelled')
  })
})

describe.skipIf(alipaySuite.skip)('Alipay through its double', () => {
  const suite = alipaySuite
  const { server, step } = suite
  let phone: PhonePage
  let page: Page

  beforeAll(async () => {
    phone = await openPhonePage(join(suite.workDir, 'profile'), [], { ignoreHTTPSErrors: true })
    page = phone.page
  })

  afterAll(async () => {
    await stopDemoSuite(suite, phone)
    writeFileSync(join(ensureOutDir(), 'pay-doubles.log'), doubles.output())
    await doubles.stop()
    scratch.remove()
  })

  step('in a phone browser: ¥20 → Alipay’s cashier from a signed link → paid → the confirmed donation', async () => {
    await donateTwenty(page, server.url, '赵大妈', 'alipay')
    expect(await page.locator(sel('pay-provider')).textContent()).toBe('支付宝')
    await screenshot(page, 'pay-alipay-01-pay-page')
    await page.locator(sel('pay-go')).click()
    await page.waitForURL((url) => url.origin === new URL(doubles.alipay).origin)
    await screenshot(page, 'pay-alipay-02-cashier')
    await page.getByRole('button', { name: '付款' }).click()
    await page.getByRole('link', { name: '返回商家' }).click()
    await expectConfirmedWithReceipt(page, '赵大妈')
    await screenshot(page, 'pay-alipay-03-confirmed')
  })
})
