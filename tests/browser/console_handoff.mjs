// Headless Chromium (Debian's package) driven by playwright-core: a lead professional signs in,
// opens the handoff in their inbox, accepts it and replies to the carer.
// Env: CONSOLE_URL, CONSOLE_USERNAME, CONSOLE_PASSWORD, REPLY_TEXT, USER_DATA_DIR.
import { launch } from './launch.mjs'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const base = process.env.CONSOLE_URL

const context = await launch()
const result = { steps: [] }
try {
  const page = context.pages()[0] || await context.newPage()
  page.setDefaultTimeout(15000)
  await page.goto(`${base}/login`)
  await page.fill('#username', process.env.CONSOLE_USERNAME)
  await page.fill('#password', process.env.CONSOLE_PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=inbox]')
  result.steps.push('signed in')
  result.jsEnabled = await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'))
  result.fontLoaded = await page.evaluate(async () => { await document.fonts.ready; return document.fonts.size >= 0 })
  await page.click('[data-testid=handoff-link]')
  await page.waitForSelector('[data-testid=situation]')
  result.packet = await page.textContent('[data-testid=background]')
  await page.click('[data-testid=accept]')
  await page.waitForSelector('[data-testid=done]')
  result.status = (await page.textContent('[data-testid=status]')).trim()
  result.steps.push('accepted')
  await page.fill('#message', process.env.REPLY_TEXT)
  await page.click('[data-testid=send-reply]')
  await page.waitForSelector('[data-testid=done]')
  result.thread = await page.textContent('[data-testid=thread]')
  result.steps.push('replied')
  // Accessibility check with axe-core on the handoff page (reported, judged by the pytest side).
  // Evaluated through DevTools, so the console's CSP (no inline script) can stay strict.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'))
  const axe = await page.evaluate(async () => {
    const found = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })
    return found.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))
  })
  result.axe = axe
} catch (error) {
  result.error = String(error && error.stack || error)
  try { const page = context.pages()[0]; result.url = page.url(); result.page = (await page.textContent('main')).slice(0, 600) } catch (e) {}
} finally {
  await context.close()
}
console.log(JSON.stringify(result))
process.exit(result.error ? 1 : 0)
