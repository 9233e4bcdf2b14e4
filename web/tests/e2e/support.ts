/**
 * E2E plumbing: start the real server binary on a free port, read its outbox, launch Debian's
 * chromium. Every process started here is held by its real PID and stopped by the test.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type BrowserContext, chromium, devices } from 'playwright-core'

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
 * server prints `listening on http://127.0.0.1:PORT`.
 */
export async function startServer(workDir: string): Promise<RunningServer> {
  if (!existsSync(CARECITY_BIN)) {
    throw new Error(`server binary not found at ${CARECITY_BIN} (set CARECITY_BIN)`)
  }
  const distDir = join(WEB_DIR, 'dist')
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: run "npm run build" first`)
  }
  const db = dbUrl(workDir)
  const child = spawn(CARECITY_BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', './dist'], {
    cwd: WEB_DIR,
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

  async function stop(): Promise<void> {
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

  return { url, db, child, output: () => log, stop }
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

/** Debian's chromium with a phone profile (iPhone 13 metrics, viewport forced to 390×844). */
export async function launchPhoneBrowser(userDataDir: string): Promise<BrowserContext> {
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
    ],
    ...iphone,
    viewport: { width: 390, height: 844 },
    screen: { width: 390, height: 844 },
    locale: 'zh-CN',
  })
}

export function ensureOutDir(): string {
  mkdirSync(E2E_OUT, { recursive: true })
  return E2E_OUT
}
