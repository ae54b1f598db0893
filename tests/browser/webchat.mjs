// Headless Chromium (Debian's package) driven by playwright-core: a carer uses the web chat at
// /chat, asks who does carer's assessments, links the chat to their family with the code texted
// to their phone (read from the outbox by CODE_COMMAND), sees the record, reloads and keeps the
// session. Then keyboard, small-screen, 200% text and axe-core checks, and a screenshot.
// Env: CHAT_URL, PHONE (as the carer types it), CODE_COMMAND (JSON argv printing the code),
//      USER_DATA_DIR, SCREENSHOT, CHROMIUM_PATH.
import { launch } from './launch.mjs'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const chatUrl = process.env.CHAT_URL

const context = await launch({ viewport: { width: 900, height: 1000 } })
const result = { steps: [], replies: {} }
const page = context.pages()[0] || await context.newPage()
page.setDefaultTimeout(30000)

// Polled from here: the page's CSP forbids the eval that page.waitForFunction needs.
async function until (check, what, ms = 30000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await page.waitForTimeout(100)
  }
}

const botCount = () => page.locator('.os-from-bot').count()

async function ask (text) {
  const before = await botCount()
  await page.fill('#onestory-input', text)
  await page.press('#onestory-input', 'Enter')
  await until(async () => (await botCount()) > before, `a reply to ${JSON.stringify(text)}`, 60000)
  // Several messages may follow one another: wait until the log has been quiet a moment.
  let count = await botCount()
  for (;;) {
    await page.waitForTimeout(700)
    const now = await botCount()
    if (now === count) break
    count = now
  }
  const texts = await page.locator('.os-from-bot .os-text').allTextContents()
  return texts.slice(before).join('\n')
}

try {
  await page.goto(chatUrl)
  await until(async () => (await page.textContent('.os-status')).startsWith('Connected'), 'connected')
  result.lang = await page.getAttribute('html', 'lang')
  result.sessionBefore = await page.evaluate(() => localStorage.getItem('onestory.session'))
  result.steps.push('opened')

  // Keyboard: the first Tab reaches the skip link, which takes focus to the message box.
  await page.keyboard.press('Tab')
  result.firstFocus = await page.evaluate(() => document.activeElement.className)
  await page.keyboard.press('Enter')
  result.afterSkip = await page.evaluate(() => document.activeElement.id)

  result.replies.services = await ask("who does carer's assessments in EM2?")
  result.steps.push('asked')
  result.replies.beforeLink = await ask('what do you know about my dad?')
  result.replies.phone = await ask(process.env.PHONE)
  const [cmd, ...args] = JSON.parse(process.env.CODE_COMMAND)
  result.code = execFileSync(cmd, args, { encoding: 'utf8' }).trim()
  result.replies.linked = await ask(result.code)
  result.steps.push('linked')
  result.replies.record = await ask('what do you know about dad?')
  result.steps.push('record')

  await page.reload()
  await until(async () => (await page.textContent('.os-status')).startsWith('Connected'), 'connected')
  result.sessionAfter = await page.evaluate(() => localStorage.getItem('onestory.session'))
  result.historyAfterReload = await page.locator('.os-message').count()
  result.replies.afterReload = await ask('what medicines is he on?')
  result.steps.push('reloaded')
  // Bot text is shown as text: markup in a message would have made elements.
  result.markupInLog = await page.locator('.os-log script, .os-log img, .os-log a').count()

  await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true })

  // Accessibility check with axe-core, injected through DevTools (the page's CSP stays strict).
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'))
  const runAxe = () => page.evaluate(async () => {
    const found = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })
    return found.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))
  })
  result.axe = await runAxe()

  // A phone-sized screen, then 200% text: nothing may need sideways scrolling.
  await page.setViewportSize({ width: 320, height: 640 })
  result.overflow320 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  await page.evaluate(() => { document.documentElement.style.fontSize = '200%' })
  result.overflow320at200 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  result.axeSmall = await runAxe()
  result.steps.push('checked')
} catch (error) {
  result.error = String(error && error.stack || error)
  try { result.log = (await page.textContent('.os-chat')).slice(-1500) } catch (e) {}
} finally {
  await context.close()
}
console.log(JSON.stringify(result))
process.exit(result.error ? 1 : 0)
