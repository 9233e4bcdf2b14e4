/**
 * E2E plumbing: start the real server binary on a free port, read its outbox, launch Debian's
 * chromium. Every process started here is held by its real PID and stopped by the test.
 *
 * On top of that, what the feature suites share: `startDemoSuite` (seed the demo, start the
 * server, skip or fail without the features), `openPhonePage` / `stopDemoSuite` (the browser and
 * the teardown), and a few page helpers (`sel`, `screenshot`, `loginWithDemoPassword`, `logout`,
 * `fillTestField`, `seriousContrastViolations`), and `apiSession` for setup over the API.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import AxeBuilder from '@axe-core/playwright'
import { type BrowserContext, chromium, devices, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'

const execFileAsync = promisify(execFile)

export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url))
export const CARECITY_BIN = resolve(WEB_DIR, process.env.CARECITY_BIN || '../build/carecity')
export const E2E_OUT = resolve(WEB_DIR, process.env.E2E_OUT || 'test-results/e2e/')
export const CHROMIUM = '/usr/bin/chromium'

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

export interface RunningServer {
  url: string
  db: string
  child: ChildProcess
  /** Everything the server printed, for diagnosing a failure. */
  output: () => string
  stop: () => Promise<void>
}

/** A scratch directory removed by the returned cleanup function. */
export function scratchDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** The SQLite database URL `startServer(workDir)` serves. */
export function dbUrl(workDir: string): string {
  return `sqlite:${join(workDir, 'e2e.db')}`
}

/**
 * Loads the 关爱桂城 demo data (`carecity seed-demo`) into the database `startServer(workDir)`
 * will use. Run it before starting the server.
 */
export async function seedDemo(workDir: string): Promise<string> {
  if (!existsSync(CARECITY_BIN)) {
    throw new Error(`server binary not found at ${CARECITY_BIN} (set CARECITY_BIN)`)
  }
  const { stdout, stderr } = await execFileAsync(CARECITY_BIN, ['seed-demo', '--db', dbUrl(workDir)], { cwd: WEB_DIR })
  return stdout + stderr
}

/**
 * Runs `carecity serve` on 127.0.0.1:0 against a fresh SQLite file and resolves once the
 * server prints `listening on http://127.0.0.1:PORT`. The sandbox payment provider is off by
 * default; the tests switch it on (`CARECITY_PAYMENTS_SANDBOX=on`), as the demo does.
 */
export async function startServer(workDir: string, extraArgs: string[] = [], options: { listen?: string } = {}): Promise<RunningServer> {
  if (!existsSync(CARECITY_BIN)) {
    throw new Error(`server binary not found at ${CARECITY_BIN} (set CARECITY_BIN)`)
  }
  const distDir = join(WEB_DIR, 'dist')
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: run "npm run build" first`)
  }
  const db = dbUrl(workDir)
  const child = spawn(CARECITY_BIN, ['serve', '--db', db, '--listen', options.listen ?? '127.0.0.1:0', '--web', './dist', ...extraArgs], {
    cwd: WEB_DIR,
    env: { ...process.env, CARECITY_PAYMENTS_SANDBOX: 'on' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    log += chunk
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))

  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not report "listening on" within ${START_TIMEOUT_MS} ms\n${log}`)), START_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      log += line + '\n'
      const match = LISTENING.exec(line)
      if (match?.[1]) {
        clearTimeout(timer)
        done(match[1])
      }
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      fail(error)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      fail(new Error(`server exited before listening (code ${code}, signal ${signal})\n${log}`))
    })
  })

  return { url, db, child, output: () => log, stop: () => stopChild(child, exited) }
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once `child` has exited. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return
  }
  child.kill('SIGTERM')
  const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), STOP_TIMEOUT_MS))
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL')
    await exited
  }
}

/** A free TCP port on 127.0.0.1, for a server whose public origin must be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((done, fail) => {
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => done())
  })
  const address = probe.address()
  await new Promise<void>((done) => probe.close(() => done()))
  if (address === null || typeof address === 'string') {
    throw new Error('no free port')
  }
  return address.port
}

export const DOUBLES_BIN = resolve(WEB_DIR, process.env.CARECITY_DOUBLES_BIN || '../build/tests/carecity-doubles')

/** The WeChat Pay and Alipay doubles (`carecity-doubles`), and the configuration that points at them. */
export interface RunningDoubles {
  wechatpay: string
  alipay: string
  /** `[tls]`, `[payments.wechatpay]` and `[payments.alipay]` with fresh keys, for `serve --config`. */
  config: string
  output: () => string
  stop: () => Promise<void>
}

/** Starts `carecity-doubles --dir {dir}` and resolves once it prints `doubles ready {…}`. */
export async function startDoubles(dir: string): Promise<RunningDoubles> {
  if (!existsSync(DOUBLES_BIN)) {
    throw new Error(`doubles binary not found at ${DOUBLES_BIN} (set CARECITY_DOUBLES_BIN)`)
  }
  const child = spawn(DOUBLES_BIN, ['--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    log += chunk
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const ready = await new Promise<{ wechatpay: string; alipay: string; config: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`doubles did not report ready within ${START_TIMEOUT_MS} ms\n${log}`)), START_TIMEOUT_MS)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log += line + '\n'
      if (line.startsWith('doubles ready ')) {
        clearTimeout(timer)
        done(JSON.parse(line.slice('doubles ready '.length)) as { wechatpay: string; alipay: string; config: string })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      fail(new Error(`doubles exited before ready (code ${code}, signal ${signal})\n${log}`))
    })
  })
  return { ...ready, output: () => log, stop: () => stopChild(child, exited) }
}

export interface OutboxMessage {
  id: number
  channel: string
  recipient: string
  template: string
  params: Record<string, unknown>
  created_at_ms: number
}

/** The newest `recover_code` message sent to `recipient`, read with `carecity outbox`. */
export async function latestRecoverCode(db: string, recipient: string): Promise<string> {
  const { stdout } = await execFileAsync(CARECITY_BIN, ['outbox', '--db', db], { cwd: WEB_DIR })
  const messages = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as OutboxMessage)
    .filter((m) => m.recipient === recipient && m.template === 'recover_code')
    .sort((a, b) => b.created_at_ms - a.created_at_ms || b.id - a.id)
  const code = messages[0]?.params.code
  if (typeof code !== 'string' || code === '') {
    throw new Error(`no recover_code for ${recipient} in the outbox:\n${stdout}`)
  }
  return code
}

/** What a phone browser is set to, beyond its profile. */
export interface PhoneOptions {
  /** The browser's own IANA time zone (`UTC`, `America/New_York`); the test machine's when absent. */
  timezoneId?: string
  /** Another user agent (WeChat's browser: `… MicroMessenger/8.0.47 …`); the iPhone's when absent. */
  userAgent?: string
  /** Accept any certificate: the payment doubles' pages are https with a throwaway CA. */
  ignoreHTTPSErrors?: boolean
}

/**
 * Debian's chromium with a phone profile (iPhone 13 metrics, viewport forced to 390×844);
 * `extraArgs` adds command-line switches (e.g. a fake camera).
 */
export async function launchPhoneBrowser(userDataDir: string, extraArgs: string[] = [], options: PhoneOptions = {}): Promise<BrowserContext> {
  // defaultBrowserType is descriptor metadata, not a launch option.
  const { defaultBrowserType, ...iphone } = devices['iPhone 13']
  void defaultBrowserType
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
    ...iphone,
    viewport: { width: 390, height: 844 },
    screen: { width: 390, height: 844 },
    locale: 'zh-CN',
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
    ...(options.ignoreHTTPSErrors === undefined ? {} : { ignoreHTTPSErrors: options.ignoreHTTPSErrors }),
  })
}

export function ensureOutDir(): string {
  mkdirSync(E2E_OUT, { recursive: true })
  return E2E_OUT
}

/** The CSS selector for the element with `data-test="{id}"`. */
/** A 24×16 red and yellow checkerboard PNG: a photo for the upload steps. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAJ0lEQVR42mM4IacBR//vVMARqeIMw9ggSjQjiw9ng0bT0Wg6ooJBAC6XiN9zJBeAAAAAAElFTkSuQmCC',
  'base64',
)

export const sel = (id: string) => `[data-test="${id}"]`

/** A full-page (or first-screen) screenshot of `page`, saved as `$E2E_OUT/{name}.png`. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(ensureOutDir(), `${name}.png`), fullPage })
}

/** A mainland mobile number as the app shows it: `138****0001`. */
export function maskedPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`
}

/** The password of every account `carecity seed-demo` creates. */
export const DEMO_PASSWORD = 'guicheng2012'

/**
 * Signs in as one of the demo accounts through the UI: 我的 → 登录 → phone + `DEMO_PASSWORD`, then
 * waits until 我的 shows the (masked) phone number.
 */
export async function loginWithDemoPassword(page: Page, baseUrl: string, phone: string): Promise<void> {
  await page.goto(baseUrl + '/me')
  await page.locator(sel('me-login')).click()
  await page.waitForURL('**/login**')
  await page.locator(`${sel('login-login')} input`).fill(phone)
  await page.locator(`${sel('login-password')} input`).fill(DEMO_PASSWORD)
  await page.locator(sel('login-submit')).click()
  await page.waitForURL('**/me')
  await expect.poll(() => page.locator(sel('me-phone')).textContent()).toContain(maskedPhone(phone))
}

/** Types `value` into the input or textarea inside `data-test="{id}"` and checks it took. */
export async function fillTestField(page: Page, id: string, value: string): Promise<void> {
  const input = page.locator(`${sel(id)} input, ${sel(id)} textarea`)
  await input.fill(value)
  expect(await input.inputValue()).toBe(value)
}

/** A JSON request with one API session: the status and the parsed answer. */
export type ApiSession = <T>(method: 'GET' | 'POST', path: string, body?: object) => Promise<{ status: number; body: T }>

/** Signs a demo account in over the API (outside the browser) for setup steps a test need not click through. */
export async function apiSession(baseUrl: string, phone: string): Promise<ApiSession> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: phone, password: DEMO_PASSWORD }),
  })
  expect(login.status).toBe(200)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return async <T>(method: 'GET' | 'POST', path: string, body?: object) => {
    const answer = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: answer.status, body: (await answer.json()) as T }
  }
}

/** Signs out from 我的 and waits for the guest view. */
export async function logout(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl + '/me')
  await page.locator(sel('me-logout')).click()
  await expect.poll(() => page.locator(sel('me-guest')).isVisible()).toBe(true)
}

/**
 * Runs axe (WCAG 2.0 A/AA, 2.1 AA) on the current page, saves every violation to
 * `$E2E_OUT/{reportFile}`, and returns the targets of the serious or critical colour-contrast
 * ones — a passing page returns `[]`.
 */
export async function seriousContrastViolations(page: Page, reportFile: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze()
  writeFileSync(join(ensureOutDir(), reportFile), JSON.stringify(results.violations, null, 2))
  const contrast = results.violations.filter((v) => v.id === 'color-contrast' && (v.impact === 'serious' || v.impact === 'critical'))
  return contrast.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))
}

/** A phone browser (see `launchPhoneBrowser`) with its page's errors and console collected. */
export interface PhonePage {
  context: BrowserContext
  page: Page
  /**
   * Uncaught errors thrown in the page, and every Content-Security-Policy violation (the server's
   * CSP applies to every page): a suite ends by expecting none.
   */
  pageErrors: string[]
  /** Everything the page logged, as `[type] text`. */
  consoleLines: string[]
}

const CSP_VIOLATION = '[csp-violation]'

/** Launches the phone browser with its profile in `profileDir` and opens its page (15 s default timeout). */
export async function openPhonePage(profileDir: string, extraArgs: string[] = [], options: PhoneOptions = {}): Promise<PhonePage> {
  const context = await launchPhoneBrowser(profileDir, extraArgs, options)
  // Every page reports what the Content-Security-Policy blocked (the marker is repeated literally:
  // the function runs in the page, not here).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `[csp-violation] ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`,
      )
    })
  })
  const page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
  const pageErrors: string[] = []
  const consoleLines: string[] = []
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  page.on('console', (message) => {
    const text = message.text()
    consoleLines.push(`[${message.type()}] ${text}`)
    // Our listener's report, and Chromium's own "Refused to …" line for what it blocked.
    if (text.startsWith(CSP_VIOLATION) || (message.type() === 'error' && text.includes('Content Security Policy'))) {
      pageErrors.push(text)
    }
  })
  return { context, page, pageErrors, consoleLines }
}

/** Saves the page's console as `{prefix}browser-console.log` and the server's output as `{prefix}server.log` in $E2E_OUT. */
export function writeRunLogs(prefix: string, phone: PhonePage | undefined, server: RunningServer | undefined): void {
  const outDir = ensureOutDir()
  writeFileSync(join(outDir, `${prefix}browser-console.log`), (phone?.consoleLines ?? []).join('\n') + '\n')
  if (server) {
    writeFileSync(join(outDir, `${prefix}server.log`), server.output())
  }
}

export interface DemoSuiteOptions {
  /** Short name of the suite: scratch dir `carecity-{name}-e2e-…`, logs `{name}-….log`. */
  name: string
  /** What `GET /api/v1/meta` must list in `features` for the suite to run. */
  features: string[]
  /** The API the features stand for, in the failure message: "the {api} API". */
  api: string
  /** The environment variable that, set to `1`, turns "skip" into "every test fails". */
  requireEnv: string
  /** Extra `carecity serve` arguments (e.g. `--config` with a suite's own settings). */
  serverArgs?: string[]
  /** Where the server listens (`127.0.0.1:PORT`, see `freePort`); any free port when absent. */
  listen?: string
}

/** A seeded demo server, started by `startDemoSuite`, and whether it has what the suite needs. */
export interface DemoSuite {
  name: string
  server: RunningServer
  workDir: string
  /** Removes the scratch directory. */
  cleanup: () => void
  /** `GET /api/v1/meta` features (`[]` if the request failed). */
  features: string[]
  /** What `carecity seed-demo` printed. */
  seedLog: string
  /** The server lists every needed feature. */
  available: boolean
  /** Skip the suite: the features are missing and `{requireEnv}=1` is not set (the server is already stopped). */
  skip: boolean
  /** Why the tests cannot run (`''` when `available`); each `step` fails with it. */
  missingReason: string
  /**
   * A test of this suite. Without the features (only reachable with `{requireEnv}=1`) each one
   * fails with `missingReason` instead of running against a server that cannot answer.
   */
  step: (name: string, body: () => Promise<void> | void) => void
}

/**
 * Seeds the 关爱桂城 demo into a fresh scratch directory, starts the server on it, and reads
 * `GET /api/v1/meta` features. When a needed feature is missing and `{requireEnv}` is not `1`,
 * the server is stopped and the scratch directory removed at once (`skip` is true); otherwise the
 * suite's `afterAll` must call `stopDemoSuite`.
 */
export async function startDemoSuite(options: DemoSuiteOptions): Promise<DemoSuite> {
  const { name, api, requireEnv } = options
  const scratch = scratchDir(`carecity-${name}-e2e-`)
  // The demo data must exist before the server starts.
  const seedLog = await seedDemo(scratch.path)
  const server = await startServer(scratch.path, options.serverArgs, { listen: options.listen })
  let features: string[] = []
  try {
    const meta = (await (await fetch(`${server.url}/api/v1/meta`)).json()) as { features?: unknown }
    features = Array.isArray(meta.features) ? meta.features.filter((f): f is string => typeof f === 'string') : []
  } catch {
    features = []
  }

  const available = options.features.every((f) => features.includes(f))
  const required = process.env[requireEnv] === '1'
  const expected = options.features.length === 1 ? JSON.stringify(options.features[0]) : JSON.stringify(options.features)
  const missingReason = available
    ? ''
    : `${requireEnv}=1 but the server does not serve the ${api} API: GET /api/v1/meta features = ${JSON.stringify(features)} (expected to include ${expected})`
  const skip = !available && !required
  if (skip) {
    // Nothing to test: do not keep the server running while the suite is skipped.
    await server.stop()
    scratch.remove()
  }

  function step(testName: string, body: () => Promise<void> | void): void {
    it(testName, async () => {
      if (!available) {
        throw new Error(missingReason)
      }
      await body()
    })
  }

  return { name, server, workDir: scratch.path, cleanup: scratch.remove, features, seedLog, available, skip, missingReason, step }
}

/**
 * The suite's browser: saves the seed log as `{name}-seed-demo.log` and opens the phone page with
 * its profile in the scratch directory.
 */
export async function openDemoSuitePage(suite: DemoSuite): Promise<PhonePage> {
  writeFileSync(join(ensureOutDir(), `${suite.name}-seed-demo.log`), suite.seedLog)
  return openPhonePage(join(suite.workDir, 'profile'))
}

/**
 * The suite's teardown: when it ran, saves `{name}-browser-console.log` and `{name}-server.log`;
 * then closes the browser, stops the server and removes the scratch directory.
 */
export async function stopDemoSuite(suite: DemoSuite, phone: PhonePage | undefined): Promise<void> {
  if (suite.available) {
    writeRunLogs(`${suite.name}-`, phone, suite.server)
  }
  await phone?.context.close()
  await suite.server.stop()
  suite.cleanup()
}

/** The phone page a suite's steps drive, open between `beforeAll` and `afterAll`. */
export interface DemoSuiteSession {
  readonly phone: PhonePage
  readonly page: Page
}

/**
 * Registers the suite's hooks (call it inside the `describe`): `beforeAll` opens the phone page
 * when the suite can run (`openDemoSuitePage`), `afterAll` tears it down (`stopDemoSuite`).
 */
export function demoSuiteSession(suite: DemoSuite): DemoSuiteSession {
  let phone: PhonePage | undefined
  beforeAll(async () => {
    if (suite.available) {
      phone = await openDemoSuitePage(suite)
    }
  })
  afterAll(() => stopDemoSuite(suite, phone))
  const open = (): PhonePage => {
    if (phone === undefined) {
      throw new Error(`the ${suite.name} suite's phone page is not open`)
    }
    return phone
  }
  return {
    get phone() {
      return open()
    },
    get page() {
      return open().page
    },
  }
}
