/// The GM dashboard served at `/dashboard`: Sources/OverlayFeed/Page/dashboard.html, embedded by `make pages`.
enum DashboardPageDocument {
    /// The HTML text.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex">
        <link rel="icon" href="data:,">
        <title>tumulte — GM dashboard</title>
        <style>
          /* tumulte GM dashboard. Self-contained: no external font, script or stylesheet (the CSP allows none). */
          *, *::before, *::after { box-sizing: border-box; }
          :root {
            --accent: #9146ff; --bg: #0f1016; --panel: #181a23; --panel-2: #1f2230; --edge: #2b2f40; --fg: #e9eaf0; --muted: #9a9fb3;
            --track: rgba(255, 255, 255, 0.09); --ok: #3ecf8e; --warn: #f5a524; --err: #ff6b6b;
            color-scheme: dark;
          }
          html, body { margin: 0; padding: 0; background: var(--bg); color: var(--fg); }
          body {
            font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
            -webkit-font-smoothing: antialiased;
          }
          [hidden] { display: none !important; }
          a { color: #b794ff; }
          header.top { display: flex; align-items: center; gap: 0.8rem; flex-wrap: wrap; padding: 0.7rem 1.2rem; border-bottom: 1px solid var(--edge); background: var(--panel); }
          header.top h1 { margin: 0; flex: 1 1 auto; font-size: 1.05rem; font-weight: 700; }
          header.top h1 span { color: var(--accent); }
          #stream-status { display: inline-flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; color: var(--muted); white-space: nowrap; }
          #stream-status::before { content: ""; width: 0.55rem; height: 0.55rem; border-radius: 50%; background: #555a6e; }
          #stream-status[data-connected="true"]::before { background: var(--ok); box-shadow: 0 0 0 3px rgba(62, 207, 142, 0.18); }
          #stream-status[data-state="retrying"]::before, #stream-status[data-state="connecting"]::before { background: var(--warn); }
          #stream-status[data-state="error"]::before { background: var(--err); }
          button, input, select, textarea { font: inherit; color: inherit; }
          button { cursor: pointer; padding: 0.45rem 0.9rem; border-radius: 0.4rem; border: 1px solid var(--edge); background: var(--panel-2); }
          button:hover:not(:disabled) { border-color: #454b63; }
          button:disabled { opacity: 0.45; cursor: not-allowed; }
          button.primary { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
          button.danger { border-color: rgba(255, 107, 107, 0.55); color: #ffb4b4; }
          button.danger[data-armed="true"] { background: var(--err); border-color: var(--err); color: #fff; }
          button.small { padding: 0.2rem 0.55rem; font-size: 0.82rem; }
          input[type="text"], input[type="password"], input[type="number"], select, textarea {
            width: 100%; padding: 0.45rem 0.6rem; border-radius: 0.4rem; border: 1px solid var(--edge); background: #11131b;
          }
          textarea { resize: vertical; min-height: 6.5rem; }
          :focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
          [aria-invalid="true"] { border-color: var(--err) !important; }
          .auth { max-width: 26rem; margin: 12vh auto 0; padding: 0 1rem; }
          /* Two columns (channels and the start form; the watched poll and the list), one on narrow screens. */
          .layout { display: grid; grid-template-columns: minmax(17rem, 25rem) minmax(0, 1fr); gap: 1rem; align-items: start; max-width: 90rem; margin: 0 auto; padding: 1rem 1.2rem 2rem; }
          .col { display: grid; gap: 1rem; min-width: 0; }
          @media (max-width: 860px) { .layout { grid-template-columns: minmax(0, 1fr); padding: 0.8rem; } }
          .panel { min-width: 0; padding: 0.9rem 1rem 1rem; border-radius: 0.6rem; border: 1px solid var(--edge); background: var(--panel); }
          .panel h2 { margin: 0 0 0.6rem; font-size: 0.8rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
          .panel-head { display: flex; align-items: baseline; justify-content: space-between; gap: 0.5rem; }
          .hint { margin: 0.4rem 0 0; font-size: 0.85rem; color: var(--muted); }
          .error { margin: 0.5rem 0 0; color: var(--err); font-size: 0.9rem; overflow-wrap: anywhere; }
          .error:empty { display: none; }
          .error p { margin: 0; }
          .error ul { margin: 0.3rem 0 0; padding-left: 1.1rem; }
          .error .field { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
          .field-row { display: grid; gap: 0.25rem; margin-bottom: 0.7rem; }
          .field-row label { font-size: 0.85rem; color: var(--muted); }
          .field-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.7rem; }
          .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
          #channels, #polls { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.3rem; }
          #channels li, #polls li { align-items: center; padding: 0.4rem 0.55rem; border-radius: 0.4rem; background: var(--panel-2); border: 1px solid transparent; }
          #channels li { display: grid; grid-template-columns: auto minmax(0, 1fr); column-gap: 0.6rem; }
          #channels li.busy { border-color: var(--err); }
          #channels label { display: flex; align-items: center; gap: 0.45rem; cursor: pointer; font-weight: 600; overflow-wrap: anywhere; }
          #channels .overlay { min-width: 0; font-size: 0.78rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: right; }
          #channels .overlay.none { color: var(--muted); }
          #polls li { display: grid; grid-template-columns: minmax(0, 1fr) auto auto; gap: 0.6rem; cursor: pointer; }
          #polls li:hover { border-color: #454b63; }
          #polls li.selected { border-color: var(--accent); }
          #polls .title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
          #polls .total { min-width: 5.5em; text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); font-size: 0.85rem; }
          #polls .total::after { content: " votes"; }
          .badge, #polls .status {
            padding: 0.1rem 0.45rem; border-radius: 1rem; font-size: 0.72rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
            background: var(--track); color: var(--muted);
          }
          #polls li[data-status="running"] .status, #poll[data-status="running"] .badge { background: rgba(62, 207, 142, 0.16); color: var(--ok); }
          #polls li[data-status="ending"] .status, #poll[data-status="ending"] .badge { background: rgba(245, 165, 36, 0.16); color: var(--warn); }
          #polls li[data-status="cancelled"] .status, #poll[data-status="cancelled"] .badge { background: rgba(255, 107, 107, 0.14); color: var(--err); }
          #poll .placeholder { margin: 0; color: var(--muted); }
          #poll:not([data-poll-id=""]) .placeholder, #poll[data-poll-id=""] .watched { display: none; }
          .watched-head { display: flex; align-items: flex-start; gap: 0.8rem; }
          #poll-title-view { margin: 0; flex: 1 1 auto; min-width: 0; font-size: 1.25rem; overflow-wrap: anywhere; }
          .clock { flex: 0 0 auto; text-align: right; }
          #poll-countdown { display: inline-block; min-width: 3.2em; font-size: 1.6rem; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
          #poll-countdown:empty::before { content: "—"; color: var(--muted); }
          #poll-countdown:empty + small { visibility: hidden; }
          .clock small { display: block; font-size: 0.75rem; color: var(--muted); }
          .stats { display: flex; gap: 1.2rem; align-items: baseline; flex-wrap: wrap; margin: 0.5rem 0 0.8rem; color: var(--muted); font-size: 0.85rem; }
          #poll-total { font-size: 1.1rem; font-weight: 700; color: var(--fg); font-variant-numeric: tabular-nums; }
          table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
          th { text-align: left; font-size: 0.75rem; font-weight: 600; color: var(--muted); padding: 0.3rem 0.4rem; border-bottom: 1px solid var(--edge); }
          td { padding: 0.4rem; vertical-align: middle; border-bottom: 1px solid rgba(255, 255, 255, 0.04); }
          #poll-tally { table-layout: fixed; counter-reset: option; }
          #poll-tally col.num { width: 5.5em; }
          #poll-tally th.num, #poll-tally .count, #poll-tally .percent { text-align: right; white-space: nowrap; }
          #poll-tally tr.option { counter-increment: option; }
          #poll-tally .label { overflow-wrap: anywhere; }
          #poll-tally .label::before { content: counter(option) ". "; color: var(--accent); font-weight: 700; }
          #poll-tally .percent { font-weight: 700; }
          #poll-tally .count { color: var(--muted); }
          .track { display: block; height: 0.4rem; margin-top: 0.3rem; border-radius: 0.2rem; background: var(--track); overflow: hidden; }
          .bar {
            display: block; width: 100%; height: 100%; background: var(--accent);
            transform: scaleX(0); transform-origin: left center; transition: transform 0.5s cubic-bezier(0.2, 0.8, 0.2, 1);
          }
          #poll-tally tr.winner td { background: color-mix(in srgb, var(--accent) 22%, transparent); }
          #poll-tally tr.tie td { background: color-mix(in srgb, var(--accent) 12%, transparent); }
          #poll-tally tr.winner .label, #poll-tally tr.tie .label { font-weight: 700; }
          #poll-tally tr.winner .label::before, #poll-tally tr.tie .label::before { content: "★ " counter(option) ". "; }
          #poll[data-status="cancelled"] .bar { background: #5d6276; }
          .scroll { overflow-x: auto; margin-top: 0.9rem; }
          #poll-channels { font-size: 0.88rem; }
          #poll-channels th:not(:first-child), #poll-channels td:not(:first-child) { text-align: right; white-space: nowrap; }
          #poll-channels th { max-width: 9em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
          #poll-channels td:first-child { font-weight: 600; white-space: nowrap; }
          #poll-channels .total { font-weight: 700; }
          #poll-channels tr[data-mode="native"] td:first-child::after { content: " (native)"; font-weight: 400; color: var(--muted); font-size: 0.85em; }
          .watched .actions { margin-top: 1rem; }
        </style>
        </head>
        <body>
        <header class="top">
          <h1><span>tumulte</span> — GM dashboard</h1>
          <span id="stream-status" data-connected="false" data-state="idle" role="status">not streaming</span>
          <button type="button" id="api-key-forget" class="small" hidden>Forget key</button>
        </header>
        <section id="auth" class="auth" hidden>
          <form id="api-key-form" class="panel" autocomplete="off">
            <h2>API key</h2>
            <div class="field-row">
              <label for="api-key">Paste the GM API key (kept in this tab only)</label>
              <input type="password" id="api-key" autocomplete="off" spellcheck="false">
            </div>
            <div class="actions"><button type="submit" id="api-key-save" class="primary">Save key</button></div>
            <p id="api-key-error" class="error" role="alert"></p>
          </form>
        </section>
        <main id="app" class="layout" hidden>
          <div class="col">
            <section class="panel">
              <div class="panel-head"><h2>Channels</h2><button type="button" id="channels-refresh" class="small">Reload</button></div>
              <ul id="channels"></ul>
              <p id="channels-empty" class="hint" hidden>No channel yet: add one with <code>tumulte channel add LOGIN</code>.</p>
              <p id="channels-error" class="error" role="alert"></p>
            </section>
            <section class="panel">
              <h2>Start a poll</h2>
              <form id="start-form" novalidate autocomplete="off">
                <div class="field-row">
                  <label for="poll-title">Question</label>
                  <input type="text" id="poll-title" maxlength="60" placeholder="Which door?">
                </div>
                <div class="field-row">
                  <label for="poll-options">Options, one per line (2 to 5)</label>
                  <textarea id="poll-options" rows="5" placeholder="Left&#10;Right"></textarea>
                </div>
                <div class="field-pair">
                  <div class="field-row">
                    <label for="poll-duration">Duration (seconds)</label>
                    <input type="number" id="poll-duration" min="15" max="1800" step="1" value="60">
                  </div>
                  <div class="field-row">
                    <label for="poll-rule">Vote rule</label>
                    <select id="poll-rule">
                      <option value="unique" selected>unique (one vote per viewer)</option>
                      <option value="standard">standard (every message)</option>
                    </select>
                  </div>
                </div>
                <p class="hint">The poll runs in the channels ticked above.</p>
                <div class="actions"><button type="submit" id="poll-start" class="primary">Start poll</button></div>
                <div id="start-error" class="error" role="alert"></div>
              </form>
            </section>
          </div>
          <div class="col">
            <section id="poll" class="panel" data-poll-id="" data-status="" aria-live="polite">
              <h2>Watched poll</h2>
              <p class="placeholder">Select a poll in the list, or start one.</p>
              <div class="watched">
                <div class="watched-head">
                  <h3 id="poll-title-view"></h3>
                  <div class="clock"><span id="poll-countdown"></span><small>seconds left</small></div>
                </div>
                <div class="stats">
                  <span class="badge" id="poll-status-view"></span>
                  <span><span id="poll-total">0</span> votes</span>
                  <span id="poll-meta"></span>
                </div>
                <table id="poll-tally">
                  <colgroup><col><col class="num"><col class="num"></colgroup>
                  <thead><tr><th scope="col">Option</th><th scope="col" class="num">Votes</th><th scope="col" class="num">Share</th></tr></thead>
                  <tbody></tbody>
                </table>
                <div class="scroll"><table id="poll-channels"><thead><tr></tr></thead><tbody></tbody></table></div>
                <div class="actions">
                  <button type="button" id="poll-end" disabled>End now</button>
                  <button type="button" id="poll-cancel" class="danger" disabled>Cancel poll</button>
                </div>
              </div>
              <p id="poll-error" class="error" role="alert"></p>
            </section>
            <section class="panel">
              <div class="panel-head"><h2>Polls</h2><button type="button" id="polls-refresh" class="small">Refresh</button></div>
              <ul id="polls"></ul>
              <p id="polls-empty" class="hint" hidden>No poll yet.</p>
              <p id="polls-error" class="error" role="alert"></p>
            </section>
          </div>
        </main>
        <script>
        'use strict';
        (() => {
          // Timings. The GM stream sends a `ping` event every 15 s, so 45 s of silence means a dead stream.
          const KEY_STORAGE = 'tumulte.apiKey';
          // The API sits beside the page, so a proxy that serves the daemon under a path prefix serves both.
          // The origin is spelled out: a path such as `//dashboard` must not turn the base into another host.
          const API = location.origin + location.pathname.replace(/\/dashboard\/?$/, '').replace(/\/+$/, '') + '/api/v1';
          const LIST_REFRESH_MS = 10000, COUNTDOWN_TICK_MS = 250, CANCEL_ARM_MS = 3000;
          const WATCHDOG_MS = 45000, WATCHDOG_TICK_MS = 5000, BACKOFF_MIN_MS = 1000, BACKOFF_MAX_MS = 30000;
          const RANK = { running: 0, ending: 1, ended: 2, cancelled: 2 };

          const $ = (id) => document.getElementById(id);
          const authEl = $('auth'), keyForm = $('api-key-form'), keyInput = $('api-key'), keyError = $('api-key-error');
          const forgetBtn = $('api-key-forget'), appEl = $('app'), streamEl = $('stream-status');
          const channelsEl = $('channels'), channelsEmpty = $('channels-empty'), channelsError = $('channels-error');
          const startForm = $('start-form'), titleInput = $('poll-title'), optionsInput = $('poll-options');
          const durationInput = $('poll-duration'), ruleInput = $('poll-rule'), startBtn = $('poll-start'), startError = $('start-error');
          const pollsEl = $('polls'), pollsEmpty = $('polls-empty'), pollsError = $('polls-error');
          const pollEl = $('poll'), titleView = $('poll-title-view'), statusView = $('poll-status-view'), countdownEl = $('poll-countdown');
          const totalEl = $('poll-total'), metaEl = $('poll-meta'), endBtn = $('poll-end'), cancelBtn = $('poll-cancel'), pollError = $('poll-error');
          const tallyBody = $('poll-tally').tBodies[0], channelsHead = $('poll-channels').tHead.rows[0], channelsBody = $('poll-channels').tBodies[0];

          // Untrusted text (titles, options, logins) only ever goes through textContent.
          const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
          const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
          // make(tag, 'class' or { properties }, text): an element; `text` goes in as textContent.
          const make = (tag, props, text) => {
            const node = Object.assign(document.createElement(tag), typeof props === 'string' ? { className: props } : props);
            if (text !== undefined) node.textContent = text;
            return node;
          };
          const toInt = (v) => (Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
          const ints = (list, n) => Array.from({ length: n }, (_, i) => toInt(Array.isArray(list) ? list[i] : 0));
          const str = (v) => (typeof v === 'string' ? v : '');
          const isObject = (v) => v !== null && typeof v === 'object';
          const pollPath = (id) => '/polls/' + encodeURIComponent(id);

          // A v4 UUID; crypto.randomUUID exists only in secure contexts (https, localhost).
          function uuid() {
            if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
            const b = crypto.getRandomValues(new Uint8Array(16));
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
            return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
          }

          // ---- API key ----
          let apiKey = '';

          function storeKey(value) {
            apiKey = value;
            try { if (value) sessionStorage.setItem(KEY_STORAGE, value); else sessionStorage.removeItem(KEY_STORAGE); } catch (_) { /* disabled: the key lives in this page only */ }
          }

          // `#key=<key>` (the one-click URL the demo prints): stored, then removed from the address bar.
          function keyFromFragment() {
            const part = location.hash.slice(1).split('&').find((p) => p.startsWith('key='));
            if (part === undefined) return false;
            let key;
            try { key = decodeURIComponent(part.slice(4)).trim(); } catch (_) { key = part.slice(4).trim(); }
            history.replaceState(null, '', location.pathname + location.search);
            if (!key) return false;
            storeKey(key);
            return true;
          }

          function showAuth(message) {
            appEl.hidden = true;
            forgetBtn.hidden = true;
            authEl.hidden = false;
            setText(keyError, message || '');
            keyInput.value = '';
            keyInput.focus();
          }

          // A 401 or 403: the key is wrong or revoked. Everything stops and the form comes back.
          function refused(message) {
            stopApp();
            storeKey('');
            showAuth(message);
          }

          keyForm.addEventListener('submit', (event) => {
            event.preventDefault();
            const value = keyInput.value.trim();
            if (!value) return setText(keyError, 'Enter the API key.');
            storeKey(value);
            keyInput.value = '';
            startApp();
          });
          forgetBtn.addEventListener('click', () => refused(''));

          // ---- HTTP ----
          function errorMessage(data, status) {
            const error = isObject(data) ? data.error : null;
            if (isObject(error) && typeof error.message === 'string' && error.message) return error.message;
            return status ? 'The request failed (HTTP ' + status + ').' : 'The server could not be reached.';
          }

          // Answers { status, ok, data, message, fields, retryAfter }, or null when the key was refused or changed meanwhile.
          async function api(method, path, body, headers) {
            const key = apiKey;
            if (!key) return null;
            const init = { method, cache: 'no-store', headers: Object.assign({ Authorization: 'Bearer ' + key, Accept: 'application/json' }, headers) };
            if (body !== undefined) {
              init.headers['Content-Type'] = 'application/json';
              init.body = JSON.stringify(body);
            }
            let response;
            try {
              response = await fetch(API + path, init);
            } catch (_) {
              return key === apiKey ? { status: 0, ok: false, data: null, message: errorMessage(null, 0), fields: null, retryAfter: null } : null;
            }
            const date = clockFromEvents ? NaN : Date.parse(response.headers.get('Date') || '');
            if (Number.isFinite(date)) clockOffset = date + 500 - Date.now(); // a first estimate; the header has whole seconds
            let data = null;
            try { data = await response.json(); } catch (_) { data = null; }
            if (key !== apiKey) return null;
            if (response.status === 401 || response.status === 403) {
              refused(errorMessage(data, response.status));
              return null;
            }
            const error = isObject(data) && isObject(data.error) ? data.error : null;
            const message = response.ok ? '' : errorMessage(data, response.status);
            const fields = error && isObject(error.fields) ? error.fields : null;
            return { status: response.status, ok: response.ok, data, message, fields, retryAfter: response.headers.get('Retry-After') };
          }

          // ---- Channels ----
          let channelsBusy = false;

          function safeURL(value) {
            try {
              const url = new URL(str(value), location.href);
              return value && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : '';
            } catch (_) {
              return '';
            }
          }

          async function loadChannels() {
            if (channelsBusy) return;
            channelsBusy = true;
            const r = await api('GET', '/channels');
            channelsBusy = false;
            if (!r) return;
            setText(channelsError, r.message);
            if (r.ok) renderChannels(isObject(r.data) && Array.isArray(r.data.channels) ? r.data.channels : []);
          }

          // Rebuilt on (re)load only; a ticked or unticked box keeps its state.
          function renderChannels(list) {
            const ticked = new Map();
            for (const box of channelsEl.querySelectorAll('input[name="channel"]')) ticked.set(box.value, box.checked);
            const items = [];
            for (const channel of list) {
              if (!isObject(channel) || typeof channel.login !== 'string' || !channel.login) continue;
              const li = make('li');
              li.dataset.login = channel.login;
              const checked = ticked.has(channel.login) ? ticked.get(channel.login) : true;
              const box = make('input', { type: 'checkbox', name: 'channel', value: channel.login, checked });
              const label = make('label');
              label.append(box, make('span', 'login', channel.login));
              const url = safeURL(channel.overlayUrl);
              const title = 'Overlay of ' + channel.login + ': paste into an OBS browser source';
              const link = url ? make('a', { className: 'overlay', href: url, target: '_blank', rel: 'noopener noreferrer', title }, url) : make('span', 'overlay none', 'no overlay');
              li.append(label, link);
              items.push(li);
            }
            channelsEl.replaceChildren(...items);
            channelsEmpty.hidden = items.length > 0;
          }

          $('channels-refresh').addEventListener('click', loadChannels);

          // ---- Starting a poll ----
          let starting = false;

          function clearStartErrors() {
            startError.replaceChildren();
            for (const input of [titleInput, optionsInput, durationInput, ruleInput]) input.removeAttribute('aria-invalid');
            for (const li of channelsEl.children) li.classList.remove('busy');
          }

          function inputForField(field) {
            if (field === 'title') return titleInput;
            if (field === 'options' || field.startsWith('options[')) return optionsInput;
            if (field === 'durationSeconds') return durationInput;
            return field === 'voteRule' ? ruleInput : null;
          }

          // `message`, then one `li[data-field]` per field message (`title`, `options[1]`, `channels.<login>` …).
          function showStartError(r) {
            clearStartErrors();
            const wait = r.status === 429 && /^\d+$/.test(r.retryAfter || '') ? ' (retry in ' + r.retryAfter + ' s)' : '';
            startError.append(make('p', 'message', r.message + wait));
            if (!r.fields) return;
            const ul = make('ul', 'fields');
            for (const [field, text] of Object.entries(r.fields)) {
              const li = make('li');
              li.dataset.field = field;
              li.append(make('span', 'field', field), document.createTextNode(': ' + String(text)));
              ul.append(li);
              const input = inputForField(field);
              if (input) input.setAttribute('aria-invalid', 'true');
              const login = field.startsWith('channels.') ? field.slice(9) : null;
              for (const item of channelsEl.children) if (item.dataset.login === login) item.classList.add('busy');
            }
            startError.append(ul);
          }

          // The server validates; the page only splits the options and sends a fresh Idempotency-Key per submission.
          startForm.addEventListener('submit', async (event) => {
            event.preventDefault();
            if (starting) return;
            clearStartErrors();
            const duration = durationInput.value.trim();
            const body = {
              title: titleInput.value.trim(),
              options: optionsInput.value.split(/\r\n|\r|\n/).map((s) => s.trim()).filter((s) => s.length > 0),
              durationSeconds: duration === '' ? 60 : Number(duration),
              channels: Array.from(channelsEl.querySelectorAll('input[name="channel"]:checked'), (box) => box.value),
              voteRule: ruleInput.value === 'standard' ? 'standard' : 'unique',
            };
            starting = true;
            startBtn.disabled = true;
            const r = await api('POST', '/polls', body, { 'Idempotency-Key': uuid() });
            starting = false;
            startBtn.disabled = false;
            if (!r) return;
            if ((r.status === 201 || r.status === 200) && isObject(r.data) && typeof r.data.id === 'string') {
              selectPoll(r.data.id, r.data);
              refreshPolls();
            } else {
              showStartError(r);
            }
          });

          // ---- Polls list (newest first; items are kept per id and updated in place) ----
          const pollItems = new Map(); // id → { li, poll, title, status, total }
          let listBusy = false, listAgain = false, listLoaded = false, listTimer = 0;

          function pollItem(id) {
            let item = pollItems.get(id);
            if (item) return item;
            const li = make('li', { tabIndex: 0 });
            li.dataset.pollId = id;
            item = { li, poll: null, title: make('span', 'title'), status: make('span', 'status'), total: make('span', 'total', '0') };
            li.append(item.title, item.status, item.total);
            pollItems.set(id, item);
            return item;
          }

          function updatePollItem(item, title, status, total) {
            setText(item.title, title);
            item.title.title = title;
            setText(item.status, status);
            setAttr(item.li, 'data-status', status);
            setText(item.total, String(total));
          }

          function markSelected() {
            for (const [id, item] of pollItems) item.li.classList.toggle('selected', watched !== null && watched.id === id);
          }

          // The watched poll's item follows the live stream, which is newer than the list.
          function syncWatchedItem() {
            const item = watched && watched.status ? pollItems.get(watched.id) : null;
            if (item) updatePollItem(item, watched.title, watched.status, watched.totalVotes);
          }

          async function refreshPolls() {
            if (listBusy) {
              listAgain = true;
              return;
            }
            listBusy = true;
            const r = await api('GET', '/polls?limit=20');
            listBusy = false;
            if (r) {
              setText(pollsError, r.message);
              if (r.ok) renderPolls(isObject(r.data) && Array.isArray(r.data.polls) ? r.data.polls : []);
            }
            if (listAgain && apiKey) {
              listAgain = false;
              refreshPolls();
            }
          }

          function renderPolls(polls) {
            const order = [];
            for (const p of polls) {
              if (!isObject(p) || typeof p.id !== 'string' || order.some((li) => li.dataset.pollId === p.id)) continue;
              const item = pollItem(p.id);
              item.poll = p;
              updatePollItem(item, str(p.title), str(p.status), isObject(p.tally) ? toInt(p.tally.totalVotes) : 0);
              order.push(item.li);
            }
            for (const [id, item] of pollItems) if (!order.includes(item.li)) pollItems.delete(id);
            const current = Array.from(pollsEl.children);
            if (current.length !== order.length || current.some((li, i) => li !== order[i])) pollsEl.replaceChildren(...order);
            pollsEmpty.hidden = order.length > 0;
            syncWatchedItem();
            markSelected();
            if (!listLoaded) {
              // First load: watch the newest running poll, if any and if nothing is watched yet.
              listLoaded = true;
              const live = polls.find((p) => isObject(p) && (p.status === 'running' || p.status === 'ending'));
              if (live && !watched) selectPoll(live.id, live);
            }
          }

          function selectFromList(event) {
            const li = event.target instanceof Element ? event.target.closest('li[data-poll-id]') : null;
            if (!li) return;
            const item = pollItems.get(li.dataset.pollId);
            selectPoll(li.dataset.pollId, item ? item.poll : null);
          }

          pollsEl.addEventListener('click', selectFromList);
          pollsEl.addEventListener('keydown', (event) => {
            if (event.key !== 'Enter' && event.key !== ' ') return;
            event.preventDefault();
            selectFromList(event);
          });
          $('polls-refresh').addEventListener('click', refreshPolls);

          // ---- The watched poll ----
          // { id, title, options, logins, modes, voteRule, durationSeconds, status, endsAt, version, votes, totalVotes,
          //   percentages, winners, perChannel, rows, channelRows, busy }: replaced as a whole when another poll is selected,
          // which is the only time its rows are built.
          let watched = null;
          let selection = 0; // bumped on every change of the watched poll; late answers for an older one are dropped
          let clockOffset = 0; // server clock − local clock
          let clockFromEvents = false; // a serverTime was seen; until then the HTTP Date header gives a first estimate
          let countdownTimer = 0, cancelTimer = 0;

          const isFinal = () => watched !== null && RANK[watched.status] === 2;

          function noteServerTime(value) {
            const t = typeof value === 'string' ? Date.parse(value) : NaN;
            if (!Number.isFinite(t)) return;
            clockOffset = t - Date.now();
            clockFromEvents = true;
          }

          function selectPoll(id, poll) {
            if (typeof id !== 'string' || !id) return;
            if (!watched || watched.id !== id) {
              unwatch();
              watched = {
                id, title: '', options: null, logins: [], modes: {}, voteRule: '', durationSeconds: 0, status: '', endsAt: NaN,
                version: -1, votes: [], totalVotes: 0, percentages: [], winners: [], perChannel: {}, rows: null, channelRows: null, busy: false,
              };
              stream.lastId = '';
              stream.failures = 0;
              markSelected();
            }
            if (poll) applyPoll(poll);
            changed();
            loadPoll();
          }

          function unwatch() {
            stopStream();
            stopCountdown();
            disarmCancel();
            selection += 1;
            watched = null;
            tallyBody.replaceChildren();
            channelsHead.replaceChildren();
            channelsBody.replaceChildren();
            for (const el of [titleView, metaEl, countdownEl, pollError]) setText(el, '');
            setText(totalEl, '0');
            render();
          }

          // Loads the poll once on selection: an ended poll shows its final tally without a stream.
          async function loadPoll() {
            const mine = selection;
            const r = await api('GET', pollPath(watched.id));
            if (!r || mine !== selection) return;
            setText(pollError, r.message);
            if (r.ok) applyPoll(r.data);
            changed();
          }

          // A poll JSON (GET, POST answers, poll.start). Never goes back to a lower tally version or an earlier status.
          function applyPoll(p) {
            if (!watched || !isObject(p) || p.id !== watched.id) return;
            if (!watched.options && Array.isArray(p.options)) {
              watched.title = str(p.title);
              watched.options = p.options.map((o) => (typeof o === 'string' ? o : String(o)));
              watched.voteRule = str(p.voteRule);
              watched.durationSeconds = toInt(p.durationSeconds);
              for (const c of Array.isArray(p.channels) ? p.channels : []) {
                if (!isObject(c) || typeof c.login !== 'string' || watched.logins.includes(c.login)) continue;
                watched.logins.push(c.login);
                watched.modes[c.login] = str(c.mode);
              }
              const counted = isObject(p.tally) && isObject(p.tally.channels) ? Object.keys(p.tally.channels) : [];
              for (const login of counted) if (!watched.logins.includes(login)) watched.logins.push(login);
              buildRows();
            }
            const endsAt = typeof p.endsAt === 'string' ? Date.parse(p.endsAt) : NaN;
            if (Number.isFinite(endsAt)) watched.endsAt = endsAt;
            applyTally(p.tally);
            setStatus(p.status);
          }

          function applyTally(t) {
            if (!watched || !isObject(t)) return;
            const version = Number.isFinite(t.version) ? Math.floor(t.version) : 0;
            if (version < watched.version) return; // older than the tally shown
            const n = watched.options ? watched.options.length : Array.isArray(t.votes) ? t.votes.length : 0;
            const votes = ints(t.votes, n);
            const total = Number.isFinite(t.totalVotes) ? toInt(t.totalVotes) : votes.reduce((a, b) => a + b, 0);
            watched.version = version;
            watched.votes = votes;
            watched.totalVotes = total;
            watched.percentages = votes.map((v, i) => {
              const pct = Array.isArray(t.percentages) ? t.percentages[i] : NaN;
              return Number.isFinite(pct) ? Math.min(100, Math.max(0, pct)) : total > 0 ? (v * 100) / total : 0;
            });
            watched.winners = Array.isArray(t.winners) ? t.winners.filter((i) => Number.isInteger(i) && i >= 0 && i < n) : [];
            watched.perChannel = isObject(t.channels) ? t.channels : {};
          }

          function setStatus(status) {
            if (!watched || !Object.prototype.hasOwnProperty.call(RANK, status)) return;
            const now = watched.status ? RANK[watched.status] : -1;
            if (now === 2 || RANK[status] < now) return; // a final poll stays final
            watched.status = status;
          }

          // After any change of the watched poll: render, then start or stop the countdown and the stream.
          function changed() {
            render();
            syncWatchedItem();
            if (!watched || !watched.status) return;
            if (isFinal()) {
              stopStream();
              setStream('final', false, 'final — not streaming');
            } else {
              ensureCountdown();
              ensureStream();
            }
          }

          // ---- Rendering ----
          function buildRows() {
            const options = watched.options;
            watched.rows = options.map((label, i) => {
              const tr = make('tr', 'option');
              tr.dataset.index = String(i);
              const labelCell = make('td', 'label', label), track = make('span', 'track'), bar = make('span', 'bar');
              const count = make('td', 'count', '0'), percent = make('td', 'percent', '0.0%');
              track.append(bar);
              labelCell.append(track);
              tr.append(labelCell, count, percent);
              return { tr, count, percent, bar, scale: '' };
            });
            tallyBody.replaceChildren(...watched.rows.map((row) => row.tr));
            const head = options.map((label, i) => make('th', { scope: 'col', title: label }, i + 1 + '. ' + label));
            channelsHead.replaceChildren(make('th', { scope: 'col' }, 'Channel'), ...head, make('th', { scope: 'col', className: 'total' }, 'Total'));
            watched.channelRows = watched.logins.map((login) => {
              const tr = make('tr');
              tr.dataset.login = login;
              if (watched.modes[login]) tr.dataset.mode = watched.modes[login];
              const cells = options.map(() => make('td', 'count', '0'));
              const total = make('td', 'total', '0');
              tr.append(make('td', 'login', login), ...cells, total);
              return { tr, login, cells, total };
            });
            channelsBody.replaceChildren(...watched.channelRows.map((row) => row.tr));
          }

          function render() {
            const w = watched;
            setAttr(pollEl, 'data-poll-id', w ? w.id : '');
            setAttr(pollEl, 'data-status', w ? w.status : '');
            renderButtons();
            if (!w) return;
            setText(titleView, w.title);
            setText(statusView, w.status || '…');
            setText(totalEl, String(w.totalVotes));
            const meta = [w.voteRule && w.voteRule + ' votes', w.durationSeconds && w.durationSeconds + ' s', w.logins.length && w.logins.length + ' channel(s)'];
            setText(metaEl, meta.filter(Boolean).join(' · '));
            if (w.status !== 'running') setText(countdownEl, '');
            if (!w.rows) return;
            // Winners are shown once the poll ended; a cancelled poll announces none.
            const final = w.status === 'ended';
            const tie = final && w.winners.length > 1;
            w.rows.forEach((row, i) => {
              const pct = w.percentages[i] || 0;
              setText(row.count, String(w.votes[i] || 0));
              setText(row.percent, pct.toFixed(1) + '%');
              const scale = 'scaleX(' + (pct / 100).toFixed(4) + ')';
              if (row.scale !== scale) {
                row.scale = scale;
                row.bar.style.transform = scale;
              }
              const won = final && w.winners.includes(i);
              row.tr.classList.toggle('winner', won && !tie);
              row.tr.classList.toggle('tie', won && tie);
            });
            const n = w.options.length;
            for (const row of w.channelRows) {
              const own = Object.prototype.hasOwnProperty.call(w.perChannel, row.login) && isObject(w.perChannel[row.login]) ? w.perChannel[row.login] : {};
              const votes = ints(own.votes, n);
              row.cells.forEach((cell, i) => setText(cell, String(votes[i])));
              setText(row.total, String(Number.isFinite(own.totalVotes) ? toInt(own.totalVotes) : votes.reduce((a, b) => a + b, 0)));
            }
          }

          function renderButtons() {
            const open = watched !== null && watched.status === 'running' && !watched.busy;
            endBtn.disabled = !open;
            cancelBtn.disabled = !open;
            if (!open) disarmCancel();
          }

          // ---- Countdown (one interval at most, against the server's clock) ----
          function stopCountdown() {
            clearInterval(countdownTimer);
            countdownTimer = 0;
          }

          const msLeft = () => watched.endsAt - (Date.now() + clockOffset);

          function tick() {
            if (!watched || watched.status !== 'running' || !Number.isFinite(watched.endsAt)) return stopCountdown();
            const left = msLeft();
            setText(countdownEl, String(Math.max(0, Math.ceil(left / 1000))));
            if (left <= 0) stopCountdown();
          }

          function ensureCountdown() {
            tick();
            if (!countdownTimer && watched && watched.status === 'running' && msLeft() > 0) countdownTimer = setInterval(tick, COUNTDOWN_TICK_MS);
          }

          // ---- End and cancel ----
          async function finish(action) {
            if (!watched || watched.status !== 'running' || watched.busy) return;
            const mine = selection;
            const target = watched;
            target.busy = true;
            setText(pollError, '');
            renderButtons();
            const r = await api('POST', pollPath(target.id) + '/' + action);
            target.busy = false;
            if (mine !== selection) return;
            if (r && r.ok) applyPoll(r.data);
            else if (r) setText(pollError, r.message);
            changed();
            refreshPolls();
          }

          function disarmCancel() {
            clearTimeout(cancelTimer);
            cancelTimer = 0;
            if (cancelBtn.dataset.armed !== 'true') return;
            delete cancelBtn.dataset.armed;
            cancelBtn.textContent = 'Cancel poll';
          }

          endBtn.addEventListener('click', () => finish('end'));
          // No confirm() dialog: the first click arms the button for 3 s, a second click within them cancels.
          cancelBtn.addEventListener('click', () => {
            if (!watched || watched.status !== 'running' || watched.busy) return;
            if (cancelBtn.dataset.armed === 'true') {
              disarmCancel();
              finish('cancel');
              return;
            }
            cancelBtn.dataset.armed = 'true';
            cancelBtn.textContent = 'Click again to cancel';
            cancelTimer = setTimeout(disarmCancel, CANCEL_ARM_MS);
          });

          // ---- The live stream: fetch() with the Authorization header (EventSource cannot send one), parsed by hand ----
          // One connection at most (`ctrl` aborts it), one reconnect timer, one watchdog interval.
          const stream = { ctrl: null, lastId: '', failures: 0, lastActivity: 0, reconnectTimer: 0, watchdogTimer: 0 };

          function setStream(state, connected, text) {
            setAttr(streamEl, 'data-state', state);
            setAttr(streamEl, 'data-connected', connected ? 'true' : 'false');
            setText(streamEl, text);
          }

          function ensureStream() {
            if (watched && watched.status && !isFinal() && !stream.ctrl && !stream.reconnectTimer && apiKey) connect();
          }

          function stopStream() {
            if (stream.ctrl) stream.ctrl.abort();
            clearTimeout(stream.reconnectTimer);
            clearInterval(stream.watchdogTimer);
            Object.assign(stream, { ctrl: null, reconnectTimer: 0, watchdogTimer: 0 });
            setStream('idle', false, 'not streaming');
          }

          // The connection `ctrl` failed, ended or went silent: retry after 1 s, 2 s, 4 s … 30 s, unless the poll is final.
          function dropped(ctrl) {
            if (ctrl !== stream.ctrl) return;
            stream.ctrl = null;
            ctrl.abort();
            if (!watched || isFinal() || !apiKey) return stopStream();
            const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(stream.failures, 5));
            stream.failures += 1;
            setStream('retrying', false, 'reconnecting in ' + Math.round(delay / 1000) + ' s');
            clearTimeout(stream.reconnectTimer);
            stream.reconnectTimer = setTimeout(() => {
              stream.reconnectTimer = 0;
              ensureStream();
            }, delay);
          }

          function watchdog() {
            if (stream.ctrl && Date.now() - stream.lastActivity >= WATCHDOG_MS) dropped(stream.ctrl);
          }

          async function connect() {
            const ctrl = new AbortController();
            stream.ctrl = ctrl;
            stream.lastActivity = Date.now();
            if (!stream.watchdogTimer) stream.watchdogTimer = setInterval(watchdog, WATCHDOG_TICK_MS);
            setStream('connecting', false, 'connecting…');
            const headers = { Authorization: 'Bearer ' + apiKey, Accept: 'text/event-stream' };
            if (stream.lastId) headers['Last-Event-ID'] = stream.lastId;
            let response;
            try {
              response = await fetch(API + pollPath(watched.id) + '/events', { headers, signal: ctrl.signal, cache: 'no-store' });
            } catch (_) {
              return dropped(ctrl);
            }
            if (ctrl !== stream.ctrl) return ctrl.abort();
            if (response.status === 401 || response.status === 403 || response.status === 404) {
              let data = null;
              try { data = await response.json(); } catch (_) { data = null; }
              if (ctrl !== stream.ctrl) return;
              if (response.status !== 404) return refused(errorMessage(data, response.status));
              stopStream();
              return setStream('error', false, 'stream: ' + errorMessage(data, 404));
            }
            if (!response.ok || !response.body) return dropped(ctrl);
            setStream('live', true, 'live');
            const reader = response.body.getReader();
            const decoder = new TextDecoder();
            const parse = eventParser((type, data) => {
              if (ctrl === stream.ctrl) onEvent(type, data);
            });
            try {
              for (;;) {
                const { done, value } = await reader.read();
                if (ctrl !== stream.ctrl) return;
                if (done) break;
                stream.lastActivity = Date.now(); // any bytes, comments included, prove the stream alive
                parse(decoder.decode(value, { stream: true }));
                if (ctrl !== stream.ctrl) return; // an event ended the poll, or another poll was selected
              }
            } catch (_) { /* aborted or cut: handled below */ }
            dropped(ctrl);
          }

          // text/event-stream: returns a function fed with decoded text that calls dispatch(type, data) per complete event.
          // Lines end with LF, CRLF or CR; a CR at the very end of a chunk waits for the next one (it may be half a CRLF).
          function eventParser(dispatch) {
            let buffer = '', type = '', data = [];
            const line = (text) => {
              if (text === '') {
                if (data.length) dispatch(type || 'message', data.join('\n'));
                [type, data] = ['', []];
                return;
              }
              if (text[0] === ':') return; // a comment (`: ping`)
              const colon = text.indexOf(':');
              const field = colon === -1 ? text : text.slice(0, colon);
              let value = colon === -1 ? '' : text.slice(colon + 1);
              if (value[0] === ' ') value = value.slice(1);
              if (field === 'event') type = value;
              else if (field === 'data') data.push(value);
              else if (field === 'id' && !value.includes('\u0000')) stream.lastId = value;
              // `retry:` is ignored: reconnections follow the 1 s … 30 s backoff.
            };
            return (text) => {
              buffer += text;
              let start = 0;
              for (;;) {
                const lf = buffer.indexOf('\n', start);
                const cr = buffer.indexOf('\r', start);
                if (cr !== -1 && (lf === -1 || cr < lf)) {
                  if (cr === buffer.length - 1) break;
                  line(buffer.slice(start, cr));
                  start = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
                } else if (lf !== -1) {
                  line(buffer.slice(start, lf));
                  start = lf + 1;
                } else {
                  break;
                }
              }
              buffer = buffer.slice(start);
            };
          }

          function onEvent(type, text) {
            stream.failures = 0;
            if (!watched || type === 'ping') return; // the heartbeat only proves the stream alive
            let data;
            try { data = JSON.parse(text); } catch (_) { return; }
            if (!isObject(data)) return;
            noteServerTime(data.serverTime);
            if (type === 'poll.start') {
              applyPoll(data.poll);
            } else if (type === 'poll.tally' && data.pollId === watched.id) {
              applyTally(data);
            } else if (type === 'poll.end' && data.pollId === watched.id) {
              applyTally(data.tally);
              setStatus(data.status === 'cancelled' ? 'cancelled' : 'ended');
            } else {
              return;
            }
            changed();
            if (type === 'poll.end') refreshPolls();
          }

          // ---- Start and stop ----
          function startApp() {
            authEl.hidden = true;
            appEl.hidden = false;
            forgetBtn.hidden = false;
            setText(keyError, '');
            loadChannels();
            refreshPolls();
            if (!listTimer) listTimer = setInterval(refreshPolls, LIST_REFRESH_MS);
          }

          function stopApp() {
            clearInterval(listTimer);
            listTimer = 0;
            unwatch();
            pollItems.clear();
            pollsEl.replaceChildren();
            channelsEl.replaceChildren();
            startError.replaceChildren();
            for (const el of [pollsError, channelsError]) setText(el, '');
            listLoaded = false;
            listAgain = false;
          }

          // The one-click URL pasted into an open dashboard changes only the fragment (no reload): listen for that too.
          window.addEventListener('hashchange', () => {
            if (!keyFromFragment()) return;
            stopApp();
            startApp();
          });
          keyFromFragment();
          if (!apiKey) {
            try { apiKey = sessionStorage.getItem(KEY_STORAGE) || ''; } catch (_) { apiKey = ''; }
          }
          if (apiKey) startApp();
          else showAuth('');
        })();
        </script>
        </body>
        </html>

        """#
}
