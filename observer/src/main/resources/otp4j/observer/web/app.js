// otp4j observer: a page per view, each refreshed from the JSON API. Every value from the node
// is put in the page as text (textContent, never innerHTML), so nothing a process or a table
// holds can become markup or script.
'use strict';

const state = { config: null, timer: null, view: null, token: null, processes: { sort: 'reductionsDelta', order: 'desc', limit: 50, filter: '' } };

// ------------------------------------------------------------------ building the page

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'onclick') e.addEventListener('click', v);
    else if (k === 'oninput') e.addEventListener('input', v);
    else if (k === 'onchange') e.addEventListener('change', v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function pidLink(pid) {
  if (!pid) return el('span', { class: 'muted' }, '—');
  return el('a', { href: '#/process/' + encodeURIComponent(pid), class: 'pid' }, pid);
}

function bytes(n) {
  if (n === null || n === undefined || n < 0) return '—';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + u[i];
}

function num(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + 'd ' : '') + (h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
}

function kv(rows) {
  return el('table', { class: 'kv' }, rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
}

function setStatus(text, bad) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = bad ? 'error' : '';
}

async function api(path, options) {
  const init = Object.assign({ headers: {} }, options || {});
  if (init.method === 'POST' && state.token) init.headers['X-Observer-Token'] = state.token;
  const r = await fetch(path, init);
  let body;
  try { body = await r.json(); } catch (e) { body = { error: 'bad answer from the observer (' + r.status + ')' }; }
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

// The last answer each view drew; a view whose answer has not changed is not drawn again, so
// that a link or a button does not move under a click.
const drawn = {};

async function changed(view, path) {
  const d = await api(path);
  const text = JSON.stringify(d);
  if (drawn[view] === text && document.getElementById('view').childElementCount > 0) return null;
  drawn[view] = text;
  return d;
}

function q(params) {
  return Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
}

function show(...nodes) {
  const v = document.getElementById('view');
  v.replaceChildren(...nodes);
}

// ------------------------------------------------------------------ views

const views = {
  async system() {
    const s = await api('/api/system');
    const m = s.sample.memory;
    const memory = [['heap used', bytes(m.heapUsed)], ['heap committed', bytes(m.heapCommitted)],
      ['heap max', bytes(m.heapMax)], ['non-heap used', bytes(m.nonHeapUsed)],
      ['processes (estimate)', bytes(m.processes)]];
    for (const k of state.config.tableKinds) memory.push([k + ' tables', bytes(m[k])]);
    show(el('h2', {}, 'System'),
      el('div', { class: 'charts' },
        el('div', {}, el('h3', {}, 'Node'), kv([
          ['node', s.node], ['otp4j', s.otp4jVersion], ['Java', s.javaVersion + ' (' + s.javaVendor + ')'],
          ['VM', s.vm], ['OS', s.os], ['processors', s.availableProcessors], ['scheduler', s.scheduler],
          ['JVM uptime', duration(s.jvmUptimeMillis)], ['observer uptime', duration(s.observerUptimeMillis)]])),
        el('div', {}, el('h3', {}, 'Load'), kv([
          ['processes', num(s.sample.processes)], ['lingering', num(s.sample.lingering)],
          ['spawned since start', num(s.sample.spawned)], ['carriers', num(s.sample.carriers)],
          ['run queue', num(s.sample.runQueue)], ['armed timers', num(s.sample.armedTimers)],
          ['messages / s', num(s.sample.messagesPerSecond)], ['reductions / s', num(s.sample.reductionsPerSecond)],
          ['platform threads', num(s.sample.platformThreads)]])),
        el('div', {}, el('h3', {}, 'Memory'), kv(memory)),
        el('div', {}, el('h3', {}, 'Garbage collection'), kv([
          ['collections', num(s.sample.gc.collections)], ['time', num(s.sample.gc.millis) + ' ms']]))));
  },

  async load() {
    const l = await api('/api/load');
    const samples = l.samples;
    const charts = [
      ['Processes', s => s.processes, num],
      ['Messages / s', s => s.messagesPerSecond, num],
      ['Reductions / s', s => s.reductionsPerSecond, num],
      ['Run queue', s => s.runQueue, num],
      ['Heap used', s => s.memory.heapUsed, bytes],
      ['Process memory', s => s.memory.processes, bytes],
    ];
    for (const k of state.config.tableKinds) charts.push([k.toUpperCase() + ' memory', s => s.memory[k], bytes]);
    charts.push(['GC time per sample (ms)', (s, i) => i === 0 ? 0 : s.gc.millis - samples[i - 1].gc.millis, num]);
    const boxes = charts.map(([title, f, fmt]) => {
      const canvas = el('canvas', { width: 560, height: 160 });
      const values = samples.map((s, i) => f(s, i));
      const box = el('div', { class: 'chart' }, el('h3', {}, title + ': ' + (values.length ? fmt(values[values.length - 1]) : '—')), canvas);
      drawChart(canvas, values, fmt);
      return box;
    });
    show(el('h2', {}, 'Load charts'),
      el('p', { class: 'muted' }, samples.length + ' samples, one every ' + l.refreshMillis + ' ms'),
      el('div', { class: 'charts', id: 'charts' }, boxes));
  },

  async processes() {
    const p = state.processes;
    let view = document.getElementById('processes-view');
    if (!view) {
      const filter = el('input', { id: 'filter', type: 'search', placeholder: 'filter by pid, name or function', value: p.filter, size: 32,
        oninput: e => { p.filter = e.target.value; refresh(); } });
      const limit = el('select', { id: 'limit', onchange: e => { p.limit = Number(e.target.value); refresh(); } },
        [20, 50, 100, 500].map(n => el('option', { value: n, selected: n === p.limit }, 'top ' + n)));
      view = el('div', { id: 'processes-view' },
        el('h2', {}, 'Processes'),
        el('div', { class: 'toolbar' }, filter, limit, el('span', { id: 'proc-count', class: 'muted' })),
        el('table', { id: 'processes' }, el('thead', {}), el('tbody', {})));
      show(view);
    }
    const d = await api('/api/processes?' + q({ sort: p.sort, order: p.order, limit: p.limit, filter: p.filter }));
    document.getElementById('proc-count').textContent =
      d.matched + ' of ' + d.total + ' processes; deltas over ' + d.intervalMillis + ' ms';
    const cols = [['pid', 'Pid'], ['name', 'Name or initial call'], ['status', 'Status'],
      ['messageQueueLength', 'MsgQ', true], ['memory', 'Memory', true], ['reductions', 'Reductions', true],
      ['reductionsDelta', 'Reds Δ', true], ['messagesReceived', 'Received', true], ['messagesReceivedDelta', 'Recv Δ', true]];
    const table = document.getElementById('processes');
    table.tHead.replaceChildren(el('tr', {}, cols.map(([key, label, numeric]) => el('th', {
      class: [key ? 'sortable' : '', key === d.sort ? 'sorted' : '', key === d.sort && d.order === 'asc' ? 'asc' : '', numeric ? 'num' : ''].join(' ').trim(),
      'data-column': key,
      onclick: key ? () => { if (p.sort === key) p.order = p.order === 'desc' ? 'asc' : 'desc'; else { p.sort = key; p.order = key === 'pid' || key === 'name' ? 'asc' : 'desc'; } refresh(); } : null,
    }, label))));
    table.tBodies[0].replaceChildren(...d.rows.map(r => el('tr', { 'data-pid': r.pid },
      el('td', {}, pidLink(r.pid)),
      el('td', { class: 'name' }, r.name ? r.name : (r.behaviour || r.initialCall), r.name ? el('span', { class: 'tag' }, r.behaviour || r.initialCall) : null),
      el('td', {}, r.status),
      el('td', { class: 'num' }, num(r.messageQueueLength)),
      el('td', { class: 'num' }, bytes(r.memory)),
      el('td', { class: 'num' }, num(r.reductions)),
      el('td', { class: 'num' }, num(r.reductionsDelta)),
      el('td', { class: 'num' }, num(r.messagesReceived)),
      el('td', { class: 'num' }, num(r.messagesReceivedDelta)))));
  },

  async process(pid) {
    let d;
    try {
      d = await api('/api/process?' + q({ pid }));
    } catch (e) {
      show(el('h2', {}, 'Process ' + pid), el('p', { class: 'error', id: 'process-error' }, e.message));
      return;
    }
    // The buttons stay while the details refresh under them, so that a click is never lost
    // to a redraw.
    let page = document.getElementById('process-view');
    if (!page || page.getAttribute('data-pid') !== d.pid) {
      page = el('div', { id: 'process-view', 'data-pid': d.pid },
        el('h2', {}, 'Process ', el('span', { id: 'process-pid' }, d.pid), d.name ? el('span', { class: 'tag', id: 'process-name' }, d.name) : null),
        processActions(d), el('div', { id: 'process-info' }));
      show(page);
    }
    document.getElementById('process-info').replaceChildren(...processInfo(d));
  },

  async applications() {
    const d = await changed('applications', '/api/applications');
    if (!d) return;
    const node = n => {
      const stopped = !n.pid;
      const box = el('span', { class: 'node-box ' + n.type + (stopped ? ' stopped' : '') },
        n.id !== null ? el('span', { class: 'child-id' }, n.id) : null,
        n.id !== null ? ' ' : null,
        n.pid ? pidLink(n.pid) : el('span', { class: 'muted' }, 'not running'),
        n.name ? el('span', { class: 'tag' }, n.name) : null,
        n.strategy ? el('span', { class: 'tag' }, (n.dynamic ? 'dynamic ' : '') + n.strategy) : null,
        n.restarts !== undefined ? el('span', { class: 'tag' + (n.restarts > 0 ? ' restarts' : '') }, n.restarts + ' restarts') : null,
        n.error ? el('span', { class: 'tag error' }, n.error) : null);
      return el('li', { 'data-pid': n.pid }, box, n.children && n.children.length ? el('ul', {}, n.children.map(node)) : null);
    };
    const apps = d.applications.length ? el('table', { id: 'applications' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Application'), el('th', {}, 'Version'), el('th', {}, 'Description'), el('th', {}, 'Top supervisor'))),
      el('tbody', {}, d.applications.map(a => el('tr', {}, el('td', {}, a.name), el('td', {}, a.version), el('td', {}, a.description), el('td', {}, pidLink(a.supervisor))))))
      : el('p', { class: 'muted' }, 'No application is running.');
    show(el('h2', {}, 'Applications and supervision trees'), apps,
      el('div', { id: 'trees' }, d.trees.length ? d.trees.map(t => el('div', {},
        el('h3', {}, t.application ? 'Application ' + t.application : 'Supervisor ' + t.root.pid),
        el('ul', { class: 'tree' }, node(t.root)))) : el('p', { class: 'muted' }, 'No supervisor is running.')));
  },

  async tables() {
    const d = await changed('tables', '/api/tables');
    if (!d) return;
    show(el('h2', {}, 'Tables'),
      el('table', { id: 'tables' },
        el('thead', {}, el('tr', {}, ['Kind', 'Id', 'Name', 'Type', 'Access', 'Owner', 'Heir', 'Size', 'Memory', 'File size']
          .map((h, i) => el('th', { class: i >= 7 ? 'num' : '' }, h)))),
        el('tbody', {}, d.tables.map(t => el('tr', { 'data-table': t.name },
          el('td', {}, t.kind), el('td', {}, t.id),
          el('td', {}, t.readable ? el('a', { href: '#/table/' + t.kind + '/' + t.id }, t.name) : el('span', { title: 'private: contents not shown' }, t.name)),
          el('td', {}, t.type), el('td', {}, t.access), el('td', {}, pidLink(t.owner)), el('td', {}, pidLink(t.heir)),
          el('td', { class: 'num' }, num(t.size)), el('td', { class: 'num' }, bytes(t.memory)),
          el('td', { class: 'num' }, t.fileSize === null ? '—' : bytes(t.fileSize)))))));
  },

  async table(kind, id, offset) {
    const limit = 50;
    let d;
    try {
      d = await api('/api/table?' + q({ kind, id, offset, limit }));
    } catch (e) {
      show(el('h2', {}, 'Table ' + id), el('p', { class: 'error' }, e.message));
      return;
    }
    const t = d.table;
    const canDelete = state.config.actions && t.writable;
    const go = o => { location.hash = '#/table/' + kind + '/' + id + '/' + o; };
    show(el('h2', {}, 'Table ', el('span', { id: 'table-name' }, t.name), el('span', { class: 'tag' }, t.kind + ' ' + t.type + ', ' + t.access + (t.writable ? '' : ', read-only'))),
      el('div', { class: 'toolbar' },
        el('button', { onclick: () => go(Math.max(0, offset - limit)), disabled: offset === 0 }, '◀ previous'),
        el('span', { class: 'muted' }, 'objects ' + (d.rows.length ? (offset + 1) + '–' + (offset + d.rows.length) : 'none') + ' of ' + num(t.size)),
        el('button', { onclick: () => go(offset + limit), disabled: !d.more }, 'next ▶'),
        el('button', { id: 'refresh', onclick: () => refresh() }, 'Refresh')),
      el('table', { id: 'table-rows' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Key'), el('th', {}, 'Value'), canDelete ? el('th', {}, '') : null)),
        el('tbody', {}, d.rows.map((r, i) => el('tr', {},
          el('td', { class: 'key' }, r.key), el('td', { class: 'value' }, r.value),
          canDelete ? el('td', {}, el('button', { class: 'danger', onclick: async () => {
            if (!confirm('Delete the object with key ' + r.key + '?')) return;
            try {
              await api('/api/actions/delete-object?' + q({ kind, id, position: offset + i, key: r.key, value: r.value }), { method: 'POST' });
              setStatus('deleted'); refresh();
            } catch (e) { setStatus(e.message, true); }
          } }, 'Delete')) : null)))));
  },

  async trace() {
    if (!state.config.trace) {
      show(el('h2', {}, 'Trace'), el('p', { class: 'muted' }, 'Traces are off; start the observer with ObserverOptions.withTrace(true), then use "Trace messages" on a process\'s page.'));
      return;
    }
    const d = await changed('trace', '/api/trace');
    if (!d) return;
    show(el('h2', {}, 'Trace'),
      el('div', { class: 'toolbar' },
        el('span', {}, d.pid ? ['process ', pidLink(d.pid), d.active ? ' (tracing)' : ' (' + d.ended + ')'] : 'No trace yet: open a process\'s page and choose "Trace messages".'),
        d.active ? el('button', { onclick: async () => { await api('/api/trace/stop', { method: 'POST' }); refresh(); } }, 'Stop') : null,
        d.dropped ? el('span', { class: 'muted' }, d.dropped + ' older events dropped (the last ' + d.capacity + ' are kept)') : null),
      el('table', { id: 'trace-events' },
        el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Time'), el('th', {}, 'Direction'), el('th', {}, 'Message'))),
        el('tbody', {}, d.events.slice().reverse().map(e => el('tr', {}, el('td', {}, e.seq),
          el('td', {}, new Date(e.time).toISOString().substring(11, 23)), el('td', {}, e.direction), el('td', {}, e.message))))));
  },
};

function processActions(d) {
  const actions = el('div', { class: 'toolbar' });
  if (state.config.actions) {
    actions.appendChild(el('button', { class: 'danger', id: 'kill', onclick: async () => {
      if (!confirm('Kill ' + d.pid + '?')) return;
      try { await api('/api/actions/kill?' + q({ pid: d.pid }), { method: 'POST' }); setStatus('killed ' + d.pid); refresh(); }
      catch (e) { setStatus(e.message, true); }
    } }, 'Kill'));
  }
  if (state.config.trace) {
    actions.appendChild(el('button', { id: 'trace', onclick: async () => {
      try { await api('/api/trace/start?' + q({ pid: d.pid }), { method: 'POST' }); location.hash = '#/trace'; }
      catch (e) { setStatus(e.message, true); }
    } }, 'Trace messages'));
  }
  return actions;
}

function processInfo(d) {
  const list = pids => pids.length ? pids.map(p => [pidLink(p), ' ']) : el('span', { class: 'muted' }, 'none');
  return [kv([['registered name', d.name || '—'], ['initial call', d.initialCall], ['behaviour', d.behaviour || '—'],
      ['status', d.status], ['message queue', num(d.messageQueueLength)], ['memory', bytes(d.memory)],
      ['reductions', num(d.reductions)], ['messages received', num(d.messagesReceived)], ['traps exits', String(d.trapExit)],
      ['group leader', pidLink(d.groupLeader)], ['spawned at', d.spawnedAt],
      ['runaway', d.runawayMillis ? d.runawayMillis + ' ms without blocking' : 'no'],
      ['links', el('span', { id: 'links' }, list(d.links))],
      ['monitors', d.monitors.length ? d.monitors.map(m => [m.startsWith('<') ? pidLink(m) : m, ' ']) : el('span', { class: 'muted' }, 'none')],
      ['monitored by', list(d.monitoredBy)], ['current function', d.currentFunction]]),
    el('h3', {}, 'Messages'),
    d.messages === null ? el('p', { class: 'muted' }, d.messagesNote)
      : d.messages.length === 0 ? el('p', { class: 'muted', id: 'messages' }, 'none queued')
      : el('ol', { id: 'messages' }, d.messages.map(m => el('li', {}, el('code', {}, m)))),
    el('h3', {}, 'State'),
    d.state === null ? el('p', { class: 'muted' }, d.stateNote) : el('pre', { id: 'state' }, d.state),
    el('h3', {}, 'Stack'),
    el('pre', { id: 'stack' }, d.stack.join('\n'))];
}

// ------------------------------------------------------------------ charts

function drawChart(canvas, values, fmt) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, h);
  const left = 70, right = 8, top = 8, bottom = 18;
  const max = Math.max(1, ...values.filter(v => typeof v === 'number' && isFinite(v)));
  g.strokeStyle = '#d8dde5';
  g.fillStyle = '#637083';
  g.font = '11px system-ui, sans-serif';
  for (let i = 0; i <= 4; i++) {
    const y = top + (h - top - bottom) * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(w - right, y); g.stroke();
    g.fillText(String(fmt(Math.round(max * (4 - i) / 4))), 4, y + 4);
  }
  g.fillText(values.length + ' samples', left, h - 4);
  if (values.length < 2) return;
  g.strokeStyle = '#1f6feb';
  g.lineWidth = 1.5;
  g.beginPath();
  values.forEach((v, i) => {
    const x = left + (w - left - right) * i / (values.length - 1);
    const y = top + (h - top - bottom) * (1 - (v || 0) / max);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

// ------------------------------------------------------------------ routing and refresh

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const name = parts[0] || 'processes';
  switch (name) {
    case 'system': case 'load': case 'processes': case 'applications': case 'tables': case 'trace':
      return { nav: name, run: () => views[name]() };
    case 'process':
      return { nav: 'processes', run: () => views.process(parts[1]) };
    case 'table':
      // A table's page stays as loaded (its Delete buttons must not move under a click); the
      // Refresh button and the pager reload it.
      return { nav: 'tables', live: false, run: () => views.table(parts[1], parts[2], Number(parts[3] || 0)) };
    default:
      return { nav: 'processes', run: () => views.processes() };
  }
}

// One refresh at a time. A refresh asked for while one runs (a click, a new view) runs after it,
// since the one running may be drawing the view the page has just left.
let running = false;
let again = false;
async function refresh(timer) {
  if (timer === true && route().live === false) return;
  if (running) { again = true; return; }
  running = true;
  const r = route();
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.id === 'nav-' + r.nav));
  try {
    await r.run();
    setStatus('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    setStatus(e.message, true);
  } finally {
    running = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

function takeToken() {
  const m = location.hash.match(/^#token=([0-9a-f]+)$/);
  if (m) {
    sessionStorage.setItem('otp4j-observer-token', m[1]);
    history.replaceState(null, '', location.pathname + '#/processes');
  }
  state.token = sessionStorage.getItem('otp4j-observer-token');
}

async function main() {
  takeToken();
  try {
    state.config = await api('/api/config');
  } catch (e) {
    setStatus('cannot reach the observer: ' + e.message, true);
    return;
  }
  document.getElementById('node').textContent = 'node ' + state.config.node;
  window.addEventListener('hashchange', () => {
    document.getElementById('view').replaceChildren();
    for (const k of Object.keys(drawn)) delete drawn[k];
    refresh();
  });
  await refresh();
  state.timer = setInterval(() => refresh(true), state.config.refreshMillis);
}

main();
