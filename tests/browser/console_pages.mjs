// Headless Chromium (Debian's package) driven by playwright-core: the console's main pages at a
// phone's width (375 px) and a desk's (1280 px). For each page: horizontal overflow and axe-core
// (WCAG 2 A and AA) violations, and a screenshot when SCREENSHOT_DIR is set (`make docs`). Then
// the duty worker's shift at both widths: open an urgent handoff from the inbox, see and tap the
// carer's number, read both sides of the conversation and the About Me summary, and accept it.
// Env: CONSOLE_URL, PASSWORD, PAGES (JSON: [{user, path, name}]), HANDOFFS (JSON: {"375": id,
// "1280": id}), DUTY_USER, USER_DATA_DIR, SCREENSHOT_DIR (optional), CHROMIUM_PATH.
import { launch } from './launch.mjs'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const base = process.env.CONSOLE_URL
const pages = JSON.parse(process.env.PAGES)
const handoffs = JSON.parse(process.env.HANDOFFS)
const shots = process.env.SCREENSHOT_DIR
const WIDTHS = [375, 1280]

const context = await launch({ viewport: { width: 1280, height: 900 } })
const result = { pages: [], shift: {} }

async function signIn (page, user) {
  await page.context().clearCookies()
  await page.goto(`${base}/login`)
  await page.fill('#username', user)
  await page.fill('#password', process.env.PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForLoadState('load')
}

async function check (page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  await page.evaluate(AXE)
  const axe = await page.evaluate(async () => {
    const found = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })
    return found.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
      target: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))
  })
  return { overflow, axe }
}

try {
  const page = context.pages()[0] || await context.newPage()
  page.setDefaultTimeout(45000)
  let current = null
  for (const item of pages) {
    if (item.user !== current) {
      await page.setViewportSize({ width: 1280, height: 900 })
      if (item.user) await signIn(page, item.user)
      else await page.context().clearCookies()
      current = item.user
    }
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      const response = await page.goto(`${base}${item.path}`)
      const found = await check(page)
      result.pages.push({ name: item.name, path: item.path, width, status: response.status(), ...found })
      if (shots) await page.screenshot({ path: `${shots}/console-${item.name}-${width}.png`, fullPage: true })
    }
  }
  // The duty worker's shift, once at each width (one urgent handoff each).
  await page.setViewportSize({ width: 1280, height: 900 })
  await signIn(page, process.env.DUTY_USER)
  for (const width of WIDTHS) {
    const shift = { steps: [] }
    result.shift[width] = shift
    await page.setViewportSize({ width, height: 800 })
    await page.goto(`${base}/inbox`)
    await page.click(`a[href="/handoffs/${handoffs[width]}"]`)
    await page.waitForSelector('[data-testid=call-now]')
    shift.steps.push('opened')
    const phone = page.locator('[data-testid=carer-phone]').first()
    shift.phoneVisible = await phone.isVisible()
    shift.phoneHref = await phone.getAttribute('href')
    const box = await phone.boundingBox()
    shift.phoneBox = box && { width: box.width, height: box.height, right: box.x + box.width }
    shift.phoneInFirstScreen = !!box && box.y + box.height <= 800
    // Tapping a tel: link hands the number to the phone's dialler. Headless Chromium has none, so
    // the tap (a real pointer click, which fails if anything covers the link) is caught on its
    // way to the dialler and the number it carried is recorded.
    await page.evaluate(() => document.addEventListener('click', event => {
      const link = event.target.closest('a[href^="tel:"]')
      if (link) { window.__dialled = link.getAttribute('href'); event.preventDefault() }
    }, { once: true, capture: true }))
    await phone.click()
    shift.dialled = await page.evaluate(() => window.__dialled || null)
    shift.urlAfterTap = page.url()
    shift.steps.push('tapped')
    shift.thread = await page.textContent('[data-testid=thread]')
    shift.aboutMe = await page.textContent('[data-testid=about-me]')
    shift.situation = await page.textContent('[data-testid=situation]')
    Object.assign(shift, await check(page))
    await page.click('[data-testid=accept]')
    await page.waitForSelector('[data-testid=done]')
    shift.status = (await page.textContent('[data-testid=status]')).trim()
    shift.steps.push('accepted')
    if (shots) await page.screenshot({ path: `${shots}/console-urgent-handoff-${width}.png`, fullPage: true })
  }
} catch (error) {
  result.error = String(error && error.stack || error)
  try { const page = context.pages()[0]; result.url = page.url(); result.page = (await page.textContent('main')).slice(0, 800) } catch (e) {}
} finally {
  await context.close()
}
console.log(JSON.stringify(result))
process.exit(result.error ? 1 : 0)
