// Marks the page as JavaScript-enabled (GOV.UK Frontend's styles need it) and starts its
// components. Kept in a file, not inline, so the Content-Security-Policy can forbid inline script.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
