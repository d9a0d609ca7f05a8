import { initAll } from './govuk/govuk-frontend.min.js'

initAll()

// Every request this page makes counts as activity: the timeout warning starts counting again.
const activity = new EventTarget()

function clock (date) {
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}

// Fresh CSRF tokens from the server, so that a page left open for long still sends a good one.
function renewTokens (token) {
  if (token) {
    for (const input of document.querySelectorAll('input[name="csrf_token"]')) {
      input.value = token
    }
  }
}

// A POST from the page without leaving it. Resolves to the JSON reply with ok (a 2xx status),
// or to { signedOut: true } when the session has ended (the server sends the browser to sign in).
async function post (url, body, options = {}) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { Accept: 'application/json' },
      ...options
    })
    if (response.type === 'opaqueredirect') {
      activity.dispatchEvent(new CustomEvent('signed-out'))
      return { ok: false, signedOut: true }
    }
    const reply = await response.json().catch(() => ({}))
    if (response.ok) {
      renewTokens(reply.csrf_token)
      activity.dispatchEvent(new CustomEvent('active', { detail: reply.seconds_left }))
    }
    return { ...reply, ok: response.ok, status: response.status }
  } catch {
    return { ok: false }
  }
}

// The timeout warning: a modal dialog shortly before the idle timeout, offering to stay signed in.
function initTimeoutWarning (root) {
  const dialog = root.querySelector('dialog')
  const warning = root.querySelector('[data-timeout-warning]')
  const ended = root.querySelector('[data-timeout-ended]')
  const stay = warning.querySelector('form')
  const warnBefore = Number(root.dataset.warningSeconds) * 1000
  let timers = []

  function show (panel) {
    warning.hidden = panel !== warning
    ended.hidden = panel !== ended
    const heading = panel.querySelector('h2')
    dialog.setAttribute('aria-labelledby', heading.id)
    dialog.setAttribute('aria-describedby', panel.querySelector('p').id)
    if (!dialog.open) {
      dialog.showModal()
    }
    panel.querySelector('button').focus()
  }

  function schedule (secondsLeft) {
    timers.forEach(clearTimeout)
    const left = Number(secondsLeft) * 1000
    const endsAt = new Date(Date.now() + left)
    root.querySelector('[data-timeout-at]').textContent = clock(endsAt)
    timers = [
      setTimeout(() => show(warning), Math.max(0, left - warnBefore)),
      setTimeout(() => show(ended), left)
    ]
  }

  stay.addEventListener('submit', async (event) => {
    event.preventDefault()
    const reply = await post(stay.action, new FormData(stay))
    if (reply.ok) {
      dialog.close()
    }
  })
  // Escape, like the button, means "I am still here".
  dialog.addEventListener('cancel', (event) => {
    if (!warning.hidden) {
      event.preventDefault()
      stay.requestSubmit()
    }
  })
  root.querySelector('[data-timeout-close]').addEventListener('click', () => dialog.close())
  activity.addEventListener('active', (event) => {
    if (!ended.hidden) return
    if (dialog.open) dialog.close()
    schedule(event.detail)
  })
  activity.addEventListener('signed-out', () => {
    timers.forEach(clearTimeout)
    show(ended)
  })
  schedule(root.dataset.secondsLeft)
}

// Autosave: the form's answers saved as the draft a few seconds after a change, and on leaving the page.
function initAutosave (form) {
  const status = form.querySelector('[data-autosave-status]')
  const delay = Number(form.dataset.autosaveSeconds) * 1000
  let changed = false
  let timer = null
  let sending = false
  let stopped = false

  async function save (options) {
    clearTimeout(timer)
    timer = null
    if (!changed || sending || stopped) return
    changed = false
    sending = true
    const reply = await post(form.dataset.autosaveUrl, new FormData(form), options)
    sending = false
    if (reply.ok) {
      status.textContent = `Draft saved at ${clock(new Date())}`
    } else {
      changed = true
      if (reply.signedOut) {
        stopped = true
        status.textContent = 'You have been signed out, so your latest changes have not been saved yet. Select Save draft: sign in again and your answers will be kept.'
      } else if (reply.status === 422) {
        status.textContent = 'Your latest changes have not been saved automatically because an answer needs correcting. Select Save draft to see which.'
      } else {
        status.textContent = 'Your latest changes could not be saved automatically. Select Save draft to save them.'
      }
    }
    if (changed && !stopped && timer === null) {
      timer = setTimeout(save, delay)
    }
  }

  function onChange () {
    changed = true
    if (timer === null) {
      timer = setTimeout(save, delay)
    }
  }

  form.addEventListener('input', onChange)
  form.addEventListener('change', onChange)
  // The page's own buttons send everything: nothing to save behind them.
  form.addEventListener('submit', () => { stopped = true })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save({ keepalive: true })
  })
  activity.addEventListener('signed-out', () => { stopped = true })
}

// Questions and sections shown on conditions (templates/components/form-sections.html): hidden
// until the answers named by data-show-if are given, or while those named by data-hide-if are.
// With JavaScript off they stay on the page with their "Only answer this if" hints, which are
// kept here too; the server drops an answer whose condition is not met.
function initConditions (form) {
  const containers = [...form.querySelectorAll('[data-show-if], [data-hide-if]')]

  // Whether an answer is one of the values: a ticked radio or checkbox, or a chosen option,
  // not inside something already hidden (a hidden question's answer counts as not given).
  function given ({ question, is: values }) {
    return [...form.elements].some((input) => input.name === question &&
      !input.closest('[hidden]') &&
      (input.tagName === 'SELECT'
        ? values.includes(input.value)
        : (input.checked && values.includes(input.value))))
  }

  function update () {
    // In page order: a condition names an earlier question only, so one pass settles them all.
    for (const container of containers) {
      const show = container.dataset.showIf ? given(JSON.parse(container.dataset.showIf)) : true
      const hide = container.dataset.hideIf ? given(JSON.parse(container.dataset.hideIf)) : false
      // A question with an error message stays in view: the error summary links to it.
      container.hidden = !(show && !hide) && !container.querySelector('.govuk-error-message')
    }
  }

  if (containers.length) {
    form.addEventListener('change', update)
    update()
  }
}

for (const form of document.querySelectorAll('form')) {
  initConditions(form)
}
for (const root of document.querySelectorAll('[data-qaf-timeout]')) {
  if (typeof HTMLDialogElement === 'function') initTimeoutWarning(root)
}
for (const form of document.querySelectorAll('form[data-autosave-url]')) {
  if (Number(form.dataset.autosaveSeconds) > 0) initAutosave(form)
}
