// Headless Chromium (Debian's package) driven by playwright-core: a directory maintainer signs in,
// looks at the freshness dashboard, finds a service, changes its first phone number and saves.
// Env: CONSOLE_URL, CONSOLE_USERNAME, CONSOLE_PASSWORD, SERVICE_ID, NEW_NUMBER, USER_DATA_DIR,
//      SCREENSHOT_DIR (docs/: dashboard.png and edit.png for the README), CHROMIUM_PATH.
import { launch } from './launch.mjs'

const base = process.env.CONSOLE_URL
const shots = process.env.SCREENSHOT_DIR
const context = await launch({ viewport: { width: 1200, height: 900 } })
const result = { steps: [] }
try {
  const page = context.pages()[0] || await context.newPage()
  page.setDefaultTimeout(15000)
  await page.goto(`${base}/login`)
  await page.fill('#username', process.env.CONSOLE_USERNAME)
  await page.fill('#password', process.env.CONSOLE_PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=freshness-chart] svg')
  result.steps.push('signed in')
  result.bars = await page.locator('[data-testid=freshness-chart] rect').count()
  if (shots) await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true })

  await page.goto(`${base}/directory/services`)
  await page.fill('#q', process.env.SERVICE_NAME)
  await page.click('[data-testid=search]')
  await page.waitForSelector('[data-testid=results]')
  await page.click(`[data-testid=results] a[href="/directory/services/${process.env.SERVICE_ID}"]`)
  await page.waitForSelector('[data-testid=edit-form]')
  result.steps.push('found')
  result.oldNumber = await page.inputValue('#phones-0-number')

  // A mistake first: the page says what is wrong, GOV.UK style, and keeps what was typed.
  await page.fill('#phones-0-number', '12345')
  await page.click('[data-testid=save]')
  await page.waitForSelector('[data-testid=error-summary]')
  result.error = (await page.textContent('[data-testid=error-summary]')).replace(/\s+/g, ' ').trim()
  result.inlineError = await page.isVisible('#phones-0-number-error')
  if (shots) await page.screenshot({ path: `${shots}/edit.png`, fullPage: false })
  result.steps.push('refused')

  await page.fill('#phones-0-number', process.env.NEW_NUMBER)
  await page.fill('#note', 'Carer reported the old number rings out; checked with the service')
  await page.click('[data-testid=save]')
  await page.waitForSelector('[data-testid=done]')
  result.done = (await page.textContent('[data-testid=done]')).trim()
  result.savedNumber = await page.inputValue('#phones-0-number')
  result.steps.push('saved')
} catch (error) {
  result.error = String(error)
  process.exitCode = 1
} finally {
  await context.close()
}
console.log(JSON.stringify(result))
