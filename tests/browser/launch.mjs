// One way to start Debian's Chromium for every browser test: headless, no sandbox (root in CI),
// and no background networking (this machine's closed network refuses it), with a fresh profile.
import { chromium } from 'playwright-core'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launch (options = {}) {
  return chromium.launchPersistentContext(process.env.USER_DATA_DIR, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  })
}
