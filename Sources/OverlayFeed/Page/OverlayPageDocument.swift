/// The overlay page served at `/overlay/{token}` (with the `__TUMULTE_CHANNEL__` placeholder still in it): Sources/OverlayFeed/Page/overlay.html, embedded by `make pages`.
enum OverlayPageDocument {
    /// The HTML text.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex">
        <meta name="tumulte-channel" content="__TUMULTE_CHANNEL__">
        <title>tumulte overlay</title>
        <style>
          /* tumulte OBS overlay. Self-contained: no external font, script or stylesheet. The background stays transparent. */
          *, *::before, *::after { box-sizing: border-box; }
          html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: transparent; }
          #tumulte-overlay {
            --accent: #9146ff;
            --scale: 1;
            --fg: #f4f4f6;
            --muted: rgba(244, 244, 246, 0.72);
            --card: rgba(14, 14, 20, 0.84);
            --edge: rgba(255, 255, 255, 0.10);
            --track: rgba(255, 255, 255, 0.16);
            --shadow: 0 0.4em 1.6em rgba(0, 0, 0, 0.45);
            position: fixed;
            inset: 0;
            display: flex;
            padding: 2.5vmin;
            pointer-events: none;
            /* One size for everything, proportional to the browser source: the same look at 1920x1080 and 1280x720. */
            font-size: calc(min(1.25vw, 2.22vh) * var(--scale));
            font-family: system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
            line-height: 1.25;
            color: var(--fg);
            -webkit-font-smoothing: antialiased;
          }
          #tumulte-overlay[data-theme="light"] {
            --fg: #15151c;
            --muted: rgba(21, 21, 28, 0.70);
            --card: rgba(255, 255, 255, 0.92);
            --edge: rgba(0, 0, 0, 0.10);
            --track: rgba(0, 0, 0, 0.10);
            --shadow: 0 0.4em 1.6em rgba(0, 0, 0, 0.22);
          }
          #tumulte-overlay[data-position="bottom"] { align-items: flex-end; justify-content: center; }
          #tumulte-overlay[data-position="top"] { align-items: flex-start; justify-content: center; }
          #tumulte-overlay[data-position="left"] { align-items: center; justify-content: flex-start; }
          #tumulte-overlay[data-position="right"] { align-items: center; justify-content: flex-end; }
          .card {
            width: 34em;
            max-width: 100%;
            max-height: 100%;
            overflow: hidden;
            padding: 0.8em 1em 0.9em;
            border-radius: 0.6em;
            border: 0.06em solid var(--edge);
            border-top: 0.22em solid var(--accent);
            background: var(--card);
            box-shadow: var(--shadow);
            opacity: 1;
            transform: none;
            visibility: visible;
            transition: opacity 0.6s ease, transform 0.6s ease, visibility 0s linear 0s;
          }
          #tumulte-overlay[data-position="left"] .card, #tumulte-overlay[data-position="right"] .card { width: 21em; }
          #tumulte-overlay[data-position="left"] .option .label, #tumulte-overlay[data-position="right"] .option .label {
            white-space: normal;
            overflow-wrap: anywhere;
          }
          #tumulte-overlay[data-visible="false"] .card {
            opacity: 0;
            visibility: hidden;
            transition: opacity 0.6s ease, transform 0.6s ease, visibility 0s linear 0.6s;
          }
          #tumulte-overlay[data-visible="false"][data-position="bottom"] .card { transform: translateY(1em); }
          #tumulte-overlay[data-visible="false"][data-position="top"] .card { transform: translateY(-1em); }
          #tumulte-overlay[data-visible="false"][data-position="left"] .card { transform: translateX(-1em); }
          #tumulte-overlay[data-visible="false"][data-position="right"] .card { transform: translateX(1em); }
          .head { display: flex; align-items: flex-start; gap: 0.8em; }
          #tumulte-title {
            flex: 1 1 auto;
            min-width: 0;
            margin: 0;
            font-size: 1.15em;
            font-weight: 700;
            overflow-wrap: anywhere;
            display: -webkit-box;
            -webkit-box-orient: vertical;
            -webkit-line-clamp: 2;
            overflow: hidden;
          }
          #tumulte-countdown {
            flex: 0 0 auto;
            min-width: 3.6em;
            padding: 0.1em 0.45em;
            border-radius: 0.35em;
            background: var(--track);
            text-align: center;
            font-weight: 700;
            font-variant-numeric: tabular-nums;
            white-space: nowrap;
          }
          #tumulte-countdown:empty { visibility: hidden; }
          #tumulte-options { list-style: none; margin: 0.6em 0 0; padding: 0; display: grid; gap: 0.35em; }
          .option {
            display: grid;
            grid-template-columns: 2.1em minmax(0, 1fr) 4.6em 4.2em;
            grid-template-areas: "index label count percent" "bar bar bar bar";
            align-items: baseline;
            column-gap: 0.5em;
            row-gap: 0.25em;
            padding: 0.3em 0.45em 0.4em;
            border-radius: 0.4em;
            border: 0.1em solid transparent;
            transition: opacity 0.5s ease, background-color 0.5s ease, border-color 0.5s ease;
          }
          .option .index { grid-area: index; color: var(--accent); font-weight: 700; font-variant-numeric: tabular-nums; }
          .option .label { grid-area: label; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
          .option .count, .option .percent {
            text-align: right;
            white-space: nowrap;
            font-variant-numeric: tabular-nums;
          }
          .option .count { grid-area: count; color: var(--muted); }
          .option .percent { grid-area: percent; font-weight: 700; }
          .option .track { grid-area: bar; display: block; height: 0.45em; border-radius: 0.225em; background: var(--track); overflow: hidden; }
          .option .bar {
            display: block;
            width: 100%;
            height: 100%;
            border-radius: inherit;
            background: var(--accent);
            transform: scaleX(0);
            transform-origin: left center;
            transition: transform 0.6s cubic-bezier(0.2, 0.8, 0.2, 1);
            will-change: transform;
          }
          #tumulte-overlay[data-state="ended"] .option:not(.winner):not(.tie),
          #tumulte-overlay[data-state="cancelled"] .option { opacity: 0.55; }
          .option.winner {
            border-color: var(--accent);
            background: color-mix(in srgb, var(--accent) 26%, transparent);
          }
          .option.tie {
            border-color: var(--accent);
            border-style: dashed;
            background: color-mix(in srgb, var(--accent) 14%, transparent);
          }
          .option.winner .label, .option.tie .label { font-weight: 700; }
          #tumulte-message { margin: 0.55em 0 0; text-align: center; font-weight: 700; color: var(--muted); }
          #tumulte-message:empty { display: none; }
          #tumulte-status {
            position: fixed;
            right: 1vmin;
            bottom: 1vmin;
            width: 0.6em;
            height: 0.6em;
            border-radius: 50%;
            background: #e5484d;
            box-shadow: 0 0 0 0.12em rgba(0, 0, 0, 0.35);
            opacity: 0;
            transition: opacity 0.3s ease;
          }
          /* Shown only after two seconds: a quick reconnect never makes the dot blink. */
          #tumulte-status[data-connected="false"] { opacity: 0.85; transition: opacity 0.3s ease 2s; }
        </style>
        </head>
        <body>
        <main id="tumulte-overlay" data-state="idle" data-poll-id="" data-visible="false" data-theme="dark" data-position="bottom">
          <section class="card" aria-live="polite">
            <div class="head">
              <h1 id="tumulte-title"></h1>
              <span id="tumulte-countdown"></span>
            </div>
            <ol id="tumulte-options"></ol>
            <p id="tumulte-message"></p>
          </section>
          <span id="tumulte-status" data-connected="false" role="status" aria-label="connection"></span>
        </main>
        <script>
        'use strict';
        (() => {
          // Timings. The server's heartbeat fires a `ping` event every 15 s, so 45 s without any event or open means the
          // stream is dead: it is closed and opened again (a fresh snapshot comes first).
          const WATCHDOG_MS = 45000;
          const WATCHDOG_TICK_MS = 5000;
          const BACKOFF_MIN_MS = 1000;
          const BACKOFF_MAX_MS = 30000;
          const SNAPSHOT_GRACE_MS = 5000;
          const COUNTDOWN_TICK_MS = 250;

          const root = document.getElementById('tumulte-overlay');
          const titleEl = document.getElementById('tumulte-title');
          const optionsEl = document.getElementById('tumulte-options');
          const countdownEl = document.getElementById('tumulte-countdown');
          const messageEl = document.getElementById('tumulte-message');
          const statusEl = document.getElementById('tumulte-status');

          // The page's settings, from the URL; anything invalid falls back to the default.
          const number = (raw, min, max, fallback) => {
            if (raw === null || !/^\d{1,6}(\.\d{1,6})?$/.test(raw.trim())) return fallback;
            return Math.min(max, Math.max(min, Number(raw.trim())));
          };
          const params = new URLSearchParams(location.search);
          const accent = params.get('accent');
          const position = params.get('position');
          const settings = {
            theme: params.get('theme') === 'light' ? 'light' : 'dark',
            accent: accent !== null && /^#[0-9A-Fa-f]{6}$/.test(accent) ? accent : null,
            position: ['top', 'bottom', 'left', 'right'].includes(position) ? position : 'bottom',
            scale: number(params.get('scale'), 0.5, 3, 1),
            hideAfterMs: number(params.get('hideAfter'), 0, 3600, 10) * 1000,
            channelView: params.get('view') === 'channel',
          };
          root.dataset.theme = settings.theme;
          root.dataset.position = settings.position;
          root.style.setProperty('--scale', String(settings.scale));
          if (settings.accent) root.style.setProperty('--accent', settings.accent);

          // The channel login the server wrote into the page (HTML-escaped there, unescaped by the parser).
          const meta = document.querySelector('meta[name="tumulte-channel"]');
          const metaLogin = meta ? meta.content.trim() : '';
          const login = /^__TUMULTE_[A-Z]+__$/.test(metaLogin) ? '' : metaLogin;

          // `/overlay/<token>` → the stream at `/overlay/<token>/events`, same origin.
          const match = /^(.*\/overlay\/[^/]+)\/?$/.exec(location.pathname);
          const streamURL = match ? match[1] + '/events' : null;

          // Connection state. Every timer handle is kept, so there is never more than one of each.
          let source = null;
          let lastActivity = Date.now();
          let failures = 0;
          let reconnectTimer = 0;
          let staleTimer = 0;
          let countdownTimer = 0;
          let hideTimer = 0;
          let clockOffset = 0;

          // The poll shown: { id, title, options, endsAt, status, version, votes, totalVotes, percentages, winners,
          // channels, rows, stale }. Replaced as a whole when another poll starts.
          let poll = null;

          const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
          const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
          const toInt = (v) => (Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
          const ints = (list, n) => Array.from({ length: n }, (_, i) => toInt(Array.isArray(list) ? list[i] : 0));
          const nums = (list, n) => Array.from({ length: n }, (_, i) => {
            const v = Array.isArray(list) ? list[i] : 0;
            return Number.isFinite(v) && v >= 0 ? Math.min(v, 100) : 0;
          });
          const parseTime = (s) => (typeof s === 'string' ? Date.parse(s) : NaN);
          const normalStatus = (s) => (s === 'cancelled' ? 'cancelled' : s === 'ended' ? 'ended' : 'running');

          function setConnected(connected) {
            setAttr(statusEl, 'data-connected', connected ? 'true' : 'false');
          }

          function setVisible(visible) {
            setAttr(root, 'data-visible', visible ? 'true' : 'false');
          }

          function noteServerTime(value) {
            const t = parseTime(value);
            if (Number.isFinite(t)) clockOffset = t - Date.now();
          }

          // ---- Rendering ----

          function buildRows() {
            const rows = poll.options.map((label, i) => {
              const li = document.createElement('li');
              li.className = 'option';
              li.dataset.index = String(i);
              const index = document.createElement('span');
              index.className = 'index';
              index.textContent = '!' + (i + 1);
              const labelEl = document.createElement('span');
              labelEl.className = 'label';
              labelEl.textContent = label;
              const count = document.createElement('span');
              count.className = 'count';
              count.textContent = '0';
              const percent = document.createElement('span');
              percent.className = 'percent';
              percent.textContent = '0.0%';
              const track = document.createElement('span');
              track.className = 'track';
              const bar = document.createElement('span');
              bar.className = 'bar';
              track.appendChild(bar);
              li.append(index, labelEl, count, percent, track);
              return { li, count, percent, bar };
            });
            optionsEl.replaceChildren(...rows.map((row) => row.li));
            setText(titleEl, poll.title);
            return rows;
          }

          // The numbers on screen: the aggregate, or with `?view=channel` this channel's own counts.
          function shownCounts() {
            const n = poll.options.length;
            if (!settings.channelView) {
              return { votes: poll.votes, percentages: poll.percentages };
            }
            const own = poll.channels && login ? poll.channels[login] || poll.channels[login.toLowerCase()] : null;
            const votes = ints(own && own.votes, n);
            const total = votes.reduce((a, b) => a + b, 0);
            return { votes, percentages: votes.map((v) => (total > 0 ? Math.round((v * 1000) / total) / 10 : 0)) };
          }

          function render() {
            if (!poll) {
              setAttr(root, 'data-state', 'idle');
              setAttr(root, 'data-poll-id', '');
              return;
            }
            setAttr(root, 'data-state', poll.stale ? 'idle' : poll.status);
            setAttr(root, 'data-poll-id', poll.id);
            const { votes, percentages } = shownCounts();
            const final = poll.status === 'ended';
            const tie = final && poll.winners.length > 1;
            poll.rows.forEach((row, i) => {
              setText(row.count, String(votes[i]));
              setText(row.percent, percentages[i].toFixed(1) + '%');
              const scale = 'scaleX(' + (percentages[i] / 100).toFixed(4) + ')';
              if (row.bar.style.transform !== scale) row.bar.style.transform = scale;
              const won = final && poll.winners.includes(i);
              row.li.classList.toggle('winner', won && !tie);
              row.li.classList.toggle('tie', won && tie);
            });
            let message = '';
            if (poll.status === 'cancelled') message = 'Cancelled';
            else if (final && poll.totalVotes === 0) message = 'No votes';
            setText(messageEl, message);
            if (poll.status !== 'running') setText(countdownEl, '');
          }

          // ---- Countdown (one interval at most, against the server's clock) ----

          function stopCountdown() {
            if (countdownTimer) clearInterval(countdownTimer);
            countdownTimer = 0;
          }

          function tick() {
            if (!poll || poll.status !== 'running' || !Number.isFinite(poll.endsAt)) {
              stopCountdown();
              return;
            }
            const left = poll.endsAt - (Date.now() + clockOffset);
            const seconds = Math.max(0, Math.ceil(left / 1000));
            setText(countdownEl, Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0'));
            if (left <= 0) stopCountdown();
          }

          function ensureCountdown() {
            if (countdownTimer) return;
            tick();
            if (poll && poll.status === 'running' && poll.endsAt - (Date.now() + clockOffset) > 0) {
              countdownTimer = setInterval(tick, COUNTDOWN_TICK_MS);
            }
          }

          // ---- Showing and hiding ----

          function clearHide() {
            if (hideTimer) clearTimeout(hideTimer);
            hideTimer = 0;
          }

          function clearStale() {
            if (staleTimer) clearTimeout(staleTimer);
            staleTimer = 0;
          }

          function showRunning() {
            clearHide();
            poll.stale = false;
            render();
            setVisible(true);
            ensureCountdown();
          }

          function finish(status) {
            poll.status = status;
            poll.stale = false;
            stopCountdown();
            clearStale();
            render();
            setVisible(true);
            clearHide();
            hideTimer = setTimeout(() => {
              hideTimer = 0;
              setVisible(false);
            }, settings.hideAfterMs);
          }

          // A running poll no fresh snapshot confirmed: it ended while the page was away. Fade it out; a later event
          // of the same poll brings it back.
          function dropStale() {
            staleTimer = 0;
            if (!poll || poll.status !== 'running') return;
            poll.stale = true;
            stopCountdown();
            render();
            setVisible(false);
          }

          // ---- Applying events ----

          function applyTally(tally) {
            const n = poll.options.length;
            poll.version = toInt(tally.version);
            poll.votes = ints(tally.votes, n);
            poll.totalVotes = Number.isFinite(tally.totalVotes) ? toInt(tally.totalVotes) : poll.votes.reduce((a, b) => a + b, 0);
            poll.percentages = nums(tally.percentages, n);
            poll.winners = Array.isArray(tally.winners) ? tally.winners.filter((i) => Number.isInteger(i) && i >= 0 && i < n) : [];
            poll.channels = tally.channels && typeof tally.channels === 'object' ? tally.channels : {};
          }

          function onStart(data) {
            const p = data.poll;
            if (!p || typeof p.id !== 'string' || !Array.isArray(p.options)) return;
            const tally = p.tally && typeof p.tally === 'object' ? p.tally : {};
            const status = normalStatus(p.status);
            if (poll && poll.id === p.id) {
              if (poll.status !== 'running') return; // a finished poll is never reopened
              clearStale();
              if (toInt(tally.version) >= poll.version) {
                applyTally(tally);
                const endsAt = parseTime(p.endsAt);
                if (Number.isFinite(endsAt)) poll.endsAt = endsAt;
              }
              if (status !== 'running') finish(status);
              else showRunning();
              return;
            }
            clearStale();
            clearHide();
            stopCountdown();
            poll = {
              id: p.id,
              title: typeof p.title === 'string' ? p.title : '',
              options: p.options.map((o) => (typeof o === 'string' ? o : String(o))),
              endsAt: parseTime(p.endsAt),
              status: 'running',
              version: 0,
              rows: [],
              stale: false,
            };
            applyTally(tally);
            poll.rows = buildRows();
            if (status !== 'running') finish(status);
            else showRunning();
          }

          function onTally(data) {
            if (!poll || data.pollId !== poll.id || poll.status !== 'running') return;
            if (toInt(data.version) < poll.version) return;
            clearStale();
            applyTally(data);
            showRunning();
          }

          function onEnd(data) {
            if (!poll || data.pollId !== poll.id || poll.status !== 'running') return;
            const tally = data.tally && typeof data.tally === 'object' ? data.tally : null;
            if (tally && toInt(tally.version) >= poll.version) applyTally(tally);
            finish(data.status === 'cancelled' ? 'cancelled' : 'ended');
          }

          // ---- The stream ----

          function touch() {
            lastActivity = Date.now();
          }

          function handle(es, kind, event) {
            if (es !== source) return;
            touch();
            let data;
            try {
              data = JSON.parse(event.data);
            } catch (_) {
              return;
            }
            if (!data || typeof data !== 'object') return;
            noteServerTime(data.serverTime);
            if (kind === 'start') onStart(data);
            else if (kind === 'tally') onTally(data);
            else if (kind === 'end') onEnd(data);
          }

          // Each connection is a fresh EventSource without Last-Event-ID, so the server always sends its snapshot first:
          // the running poll, or nothing. That tells a poll that ended meanwhile from one that did not change.
          function connect() {
            reconnectTimer = 0;
            if (!streamURL || typeof EventSource !== 'function') return;
            const es = new EventSource(streamURL);
            source = es;
            touch();
            es.onopen = () => {
              if (es !== source) return;
              failures = 0;
              touch();
              setConnected(true);
              clearStale();
              if (poll && poll.status === 'running') staleTimer = setTimeout(dropStale, SNAPSHOT_GRACE_MS);
            };
            es.onerror = () => {
              if (es === source) reconnect();
            };
            es.onmessage = () => {
              if (es === source) touch();
            };
            es.addEventListener('poll.start', (event) => handle(es, 'start', event));
            es.addEventListener('poll.tally', (event) => handle(es, 'tally', event));
            es.addEventListener('poll.end', (event) => handle(es, 'end', event));
            es.addEventListener('ping', (event) => handle(es, 'ping', event));
          }

          // Closes the stream and opens a new one after 1 s, 2 s, 4 s … up to 30 s (slightly jittered).
          function reconnect() {
            if (source) {
              source.onopen = null;
              source.onerror = null;
              source.onmessage = null;
              source.close();
              source = null;
            }
            clearStale();
            setConnected(false);
            if (reconnectTimer) return;
            const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures, 5));
            failures += 1;
            const delay = Math.max(BACKOFF_MIN_MS, Math.round(ceiling * (0.8 + Math.random() * 0.2)));
            reconnectTimer = setTimeout(connect, delay);
          }

          function watchdog() {
            if (source && Date.now() - lastActivity >= WATCHDOG_MS) reconnect();
          }

          render();
          connect();
          setInterval(watchdog, WATCHDOG_TICK_MS);
        })();
        </script>
        </body>
        </html>

        """#
}
