// The jaye dashboard: one script for the live page (jaye serve) and the static report
// (report/dashboard.html). Live, it asks the server for the new lines of each run's
// metrics.jsonl and samples.jsonl every two seconds; static, it reads the same lines from
// window.JAYE_DATA. Either way the charts below are defined once, here.
(function () {
  'use strict';

  const STATIC = window.JAYE_DATA || null;
  const POLL_MS = 2000;
  const DASHES = [[], [6, 3], [2, 2], [10, 3, 2, 3], [1, 4]];
  const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

  // What each chart draws: the keys of a step line, or every key under a prefix.
  const RL_CHARTS = [
    {title: 'Reward and its components', keys: ['reward'], prefix: 'reward/'},
    {title: 'Accuracy of the training responses', keys: ['accuracy']},
    {title: 'KL to the reference model', keys: ['kl', 'kl_loss']},
    {title: 'Entropy (nats per token)', keys: ['entropy']},
    {title: 'Importance ratio', keys: ['ratio']},
    {title: 'Clip fraction', keys: ['clip_frac', 'clip_frac_low', 'clip_frac_high']},
    {title: 'Gradient norm', keys: ['grad_norm']},
    {title: 'Learning rate', keys: ['lr']},
    {title: 'Response length (tokens)', keys: ['mean_response_length', 'min_response_length', 'max_response_length']},
    {title: 'Reflection ratios', keys: ['reflection_ratio', 'reflection_ratio_in_correct_answers', 'reflection_ratio_in_incorrect_answers']},
    {title: 'Reflection words (count per step)', prefix: 'reflection_words/'},
    {title: 'Groups without reward spread (share)', keys: ['zero_spread_groups', 'all_correct_groups', 'all_wrong_groups', 'dropped_groups']},
    {title: 'Time per phase (s)', prefix: 'time/'},
    {title: 'Tokens per second', keys: ['tokens_per_s', 'generate_tokens_per_s']},
  ];
  const SFT_CHARTS = [
    {title: 'Loss', keys: ['loss']},
    {title: 'Learning rate', keys: ['lr']},
    {title: 'Gradient norm', keys: ['grad_norm']},
    {title: 'Tokens per second', keys: ['tokens_per_s']},
    {title: 'Connector spread', keys: ['connector_spread']},
  ];

  // runs: name -> {name, kind, metrics: [parsed lines], samples: [...], next: {metrics, samples}, config}
  const runs = new Map();
  const selected = new Set();
  const view = {x: 'epoch', smooth: 0, sampleRun: null, filter: 'all', source: 'all', count: 20, arms: false, configA: null, configB: null};

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const parse = (line) => { try { const o = JSON.parse(line); return o && typeof o === 'object' ? o : null; } catch (e) { return null; } };

  // ---- reading lines ----------------------------------------------------------------------------

  async function api(path) {
    const r = await fetch(path, {cache: 'no-store'});
    if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + (await r.text()));
    return r;
  }

  let first = null;
  /** The experiment a run belongs to: its name without rl/seed-N, sft/seed-N or vanilla. */
  const group = (name) => name.replace(/(^|\/)(rl|sft)\/seed-\d+$|(^|\/)vanilla$/, '');

  function addRun(name, kind) {
    if (!runs.has(name)) {
      runs.set(name, {name, kind, metrics: [], samples: [], next: {metrics: 0, samples: 0}, id: {metrics: '', samples: ''}, busy: {}, config: undefined, colour: COLOURS[runs.size % COLOURS.length]});
      // At first, the runs of the first experiment (or the first runs) are ticked, eight at most.
      if (!first) first = group(name);
      if (selected.size < 8 && group(name) === first) selected.add(name);
    }
    return runs.get(name);
  }

  /**
   * New lines of one file of one run; true when something changed. One request per run and file
   * at a time, so a tick and a poll cannot both append the same lines.
   */
  async function pull(run, file) {
    if (run.busy[file]) return run.busy[file];
    run.busy[file] = (async () => {
      const r = await (await api('api/lines?run=' + encodeURIComponent(run.name) + '&file=' + file + '&from=' + run.next[file]
          + '&id=' + encodeURIComponent(run.id[file]))).json();
      if (r.reset) run[file] = [];
      run.next[file] = r.next;
      run.id[file] = r.id;
      for (const l of r.lines) { const o = parse(l); if (o) run[file].push(o); }
      return r.reset || r.lines.length > 0;
    })();
    try { return await run.busy[file]; } finally { run.busy[file] = null; }
  }

  async function poll() {
    let changed = false;
    try {
      const list = await (await api('api/runs')).json();
      for (const r of list.runs) if (!runs.has(r.name)) { addRun(r.name, r.kind); changed = true; }
      for (const run of runs.values()) {
        if (!selected.has(run.name) && view.sampleRun !== run.name) continue;
        if (await pull(run, 'metrics')) changed = true;
        if (await pull(run, 'samples')) changed = true;
      }
      $('status').textContent = 'live from ' + list.root + ': updated ' + new Date().toLocaleTimeString()
          + ' (the page reads new lines every ' + POLL_MS / 1000 + ' s)';
    } catch (e) {
      $('status').textContent = 'cannot reach the server (' + e.message + '); retrying';
    }
    if (changed) render();
    setTimeout(poll, POLL_MS);
  }

  // ---- series --------------------------------------------------------------------------------

  const isEval = (l) => typeof l.split === 'string' && typeof l.setting === 'string';
  // What an evaluation reports for its setting: pass@k for k > 1 (pass@8 at T 1.0), else the
  // share of right answers; the server puts in a pass@k score's SE (score_se), as the report makes it.
  const score = (l) => (l.k > 1 ? l['pass@' + l.k] : l.accuracy);
  const scoreSe = (l) => (l.k > 1 ? (typeof l.score_se === 'number' ? l.score_se : 0)
    : (typeof l.accuracy_se === 'number' ? l.accuracy_se : 0));
  const stepOf = (l) => l.generation_step !== undefined ? l.generation_step : l.step;
  const isStep = (run, l) => !isEval(l) && l.train_accuracy === undefined && stepOf(l) !== undefined
      && (run.kind === 'rl' ? l.generation_step !== undefined : l.loss !== undefined);

  /** The run's step lines, a repeated step (a resume logs again after its checkpoint) keeping the later line. */
  function stepLines(run) {
    const byStep = new Map();
    for (const l of run.metrics) if (isStep(run, l)) byStep.set(stepOf(l), l);
    return [...byStep.values()].sort((a, b) => stepOf(a) - stepOf(b));
  }

  /**
   * Minutes of training since the start at a step (the sum of time/step up to it); a step with
   * no line of its own (an SFT evaluation between log_every lines) takes the last line before
   * it. Null when a run does not log its times.
   */
  function clock(run) {
    const steps = [], mins = [];
    let sum = 0, any = false;
    for (const l of stepLines(run)) {
      const dt = l['time/step'] !== undefined ? l['time/step'] : l['time/steps'];   // RL: one generation step; SFT: the steps since the last line
      if (typeof dt === 'number') { sum += dt; any = true; }
      steps.push(stepOf(l));
      mins.push(sum / 60);
    }
    if (!any) return null;
    return {
      at(step) {
        let lo = 0, hi = steps.length - 1, found = -1;
        while (lo <= hi) { const m = (lo + hi) >> 1; if (steps[m] <= step) { found = m; lo = m + 1; } else hi = m - 1; }
        return found < 0 ? null : mins[found];
      },
    };
  }

  function xOf(run, l, times) {
    if (view.x === 'epoch') return typeof l.epoch === 'number' ? l.epoch : null;
    const s = stepOf(l) === undefined ? 0 : stepOf(l);            // vanilla: the start
    if (view.x === 'step') return s;
    if (s === 0) return 0;
    return times ? times.at(s) : null;
  }

  /** Exponential moving average with TensorBoard's debiasing, so the first points are not pulled to 0. */
  function smooth(ys) {
    const a = view.smooth;
    if (!a) return ys;
    let m = 0, n = 0;
    return ys.map((y) => {
      if (y === null) return null;
      n++; m = a * m + (1 - a) * y;
      return m / (1 - Math.pow(a, n));
    });
  }

  /** Several [x, y] tables joined on one sorted x, null where a series has no point. */
  function join(tables) {
    const xs = [...new Set(tables.flatMap((t) => t.xs))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const cols = tables.map((t) => {
      const c = new Array(xs.length).fill(null);
      t.xs.forEach((x, i) => { c[at.get(x)] = t.ys[i]; });
      return c;
    });
    return {xs, cols};
  }

  function label(unit, key, nUnits, nKeys) {
    if (nUnits === 1) return key;
    return nKeys === 1 ? unit.name : unit.name + ' ' + key;
  }

  // ---- charts --------------------------------------------------------------------------------

  const X_LABEL = {step: 'step', epoch: 'epoch', time: 'minutes of training'};

  function width() {
    return Math.max(320, Math.min(560, Math.floor((document.body.clientWidth - 40) / 2) - 20));
  }

  /**
   * The charts on the page, by container and title. A chart whose series are the same as at the
   * last render keeps its uPlot and only gets the new data, so a zoom or a series hidden in the
   * legend survives the next line of training; any other chart is made anew.
   */
  const live = new Map();
  let generation = 0;

  /** One chart: a titled box holding a uPlot, with what it drew in data- attributes (the browser test reads them). */
  function chart(container, title, xs, series, opts) {
    const key = container.id + '|' + title;
    const sig = JSON.stringify([series.map((s) => [s.label, s.colour, s.dash || null]), view.x, !!opts.points]);
    const data = [xs].concat(series.map((s) => s.values));
    let c = live.get(key);
    if (c && c.sig !== sig) { c.u.destroy(); c.box.remove(); live.delete(key); c = null; }
    if (c) {
      c.u._jaye = opts;                                     // the hooks read the newest range and bars
      const old = c.u.data[0], sx = c.u.scales.x;
      const zoomed = old.length > 1 && (sx.min > old[0] || sx.max < old[old.length - 1]);
      c.u.setData(data, !zoomed);                           // zoomed in: keep the view; else fit the new points
      if (zoomed) c.u.redraw();
    } else {
      const box = el('div', {class: 'chart'});
      box.appendChild(el('h3', {}, title));
      const u = new uPlot({
        width: width(), height: 230,
        cursor: {sync: {key: 'jaye-' + view.x}},
        scales: {x: {time: false}, y: {range: (u, min, max) => (u._jaye.yRange || flatRange)(u, min, max)}},
        axes: [{label: X_LABEL[view.x], size: 40}, {size: 64, values: (u, ticks) => ticks.map(fmt)}],
        series: [{label: X_LABEL[view.x]}].concat(series.map((s, i) => Object.assign({
          label: s.label, stroke: s.colour, width: 1.5, spanGaps: true, dash: s.dash,
          value: (u, v) => v === null || v === undefined ? '-' : fmt(v),
        }, opts.points ? {paths: () => null, points: {show: true, size: Math.max(5, 13 - 2 * i), fill: s.colour}} : {}))),
        hooks: {draw: [(u) => { if (u._jaye.draw) u._jaye.draw(u); }]},
      }, null, box);
      u._jaye = opts;
      u.setData(data);
      c = {box, u, sig};
      live.set(key, c);
    }
    container.appendChild(c.box);                           // in this render's order
    c.generation = generation;
    const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
    c.box.dataset.series = JSON.stringify(series.map((s) => s.label));
    c.box.dataset.points = String(points);
    c.box.dataset.colours = JSON.stringify(series.map((s) => s.colour));
    return c.u;
  }

  /** Charts not drawn in this render (a run unticked, a metric gone): removed. */
  function sweep() {
    for (const [key, c] of live) if (c.generation !== generation) { c.u.destroy(); c.box.remove(); live.delete(key); }
  }

  /** A container's "nothing yet" note, cleared before its charts are drawn. */
  function clearNotes(container) {
    for (const p of [...container.querySelectorAll('p.empty')]) p.remove();
  }

  /** A curve that never moves (a clip fraction of 0) gets a small range around it, not uPlot's 0 to 100. */
  function flatRange(u, min, max) {
    if (min === null || max === null) return [0, 1];
    if (max - min > 1e-12) return uPlot.rangeNum(min, max, 0.1, true);
    return min === 0 ? [0, 1] : [min - Math.abs(min) * 0.1, max + Math.abs(max) * 0.1];
  }

  function fmt(v) {
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
    return String(+v.toPrecision(4));
  }

  /**
   * What the charts draw a series for: each ticked run, or, with "seeds as arms" on, each arm of an
   * experiment (rl/seed-*, sft/seed-*) as one series, the mean over its ticked seeds.
   */
  function units(kind) {
    const chosen = [...runs.values()].filter((r) => selected.has(r.name) && (!kind || r.kind === kind));
    if (!view.arms) return chosen.map((r) => ({name: r.name, colour: r.colour, runs: [r]}));
    const out = new Map();
    for (const r of chosen) {
      const m = r.name.match(/^(.*?)(rl|sft)\/seed-\d+$/);
      const key = m ? m[1] + m[2] : r.name;
      if (!out.has(key)) out.set(key, {name: key, colour: r.colour, runs: []});
      out.get(key).runs.push(r);
    }
    for (const u of out.values()) if (u.runs.length > 1) u.name += ' (mean of ' + u.runs.length + ' seeds)';
    return [...out.values()];
  }

  /** x -> the values of the unit's runs there (one per run that has that x). */
  function pooled(unit, valuesOf) {
    const at = new Map();
    for (const r of unit.runs) for (const [x, v] of valuesOf(r)) {
      if (!at.has(x)) at.set(x, []);
      at.get(x).push(v);
    }
    return at;
  }

  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  const sd = (v) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));

  function stepCharts(container, kind, defs) {
    const us = units(kind);
    clearNotes(container);
    container.parentElement.style.display = us.length ? '' : 'none';
    if (!us.length) return;
    const lines = new Map(), times = new Map();
    for (const u of us) for (const r of u.runs) { lines.set(r, stepLines(r)); times.set(r, view.x === 'time' ? clock(r) : null); }
    for (const def of defs) {
      const keys = new Set(def.keys || []);
      if (def.prefix) for (const ls of lines.values()) for (const l of ls) for (const k of Object.keys(l)) if (k.startsWith(def.prefix)) keys.add(k);
      const tables = [], meta = [];
      for (const u of us) for (const k of keys) {
        const at = pooled(u, (r) => lines.get(r).map((l) => [xOf(r, l, times.get(r)), l[k]]).filter(([x, y]) => x !== null && typeof y === 'number'));
        if (!at.size) continue;
        const xs = [...at.keys()].sort((a, b) => a - b);
        tables.push({xs, ys: xs.map((x) => mean(at.get(x)))});
        meta.push({unit: u, key: k});
      }
      if (!tables.length) continue;
      const keyList = [...new Set(meta.map((m) => m.key))];
      const j = join(tables);
      // One run: a colour per key. Several: a run keeps its colour, and its keys differ by dash.
      const colour = (i) => us.length === 1 ? COLOURS[i % COLOURS.length] : meta[i].unit.colour;
      const dash = (i) => us.length === 1 ? undefined : DASHES[keyList.indexOf(meta[i].key) % DASHES.length];
      chart(container, def.title, j.xs, j.cols.map((c, i) => ({label: label(meta[i].unit, meta[i].key, us.length, keyList.length),
        values: smooth(c), colour: colour(i), dash: dash(i)})), {});
    }
    if (!us.some((u) => u.runs.some((r) => stepLines(r).length))) container.appendChild(el('p', {class: 'empty'}, 'No step lines yet.'));
  }

  /**
   * Accuracy against x for each split and setting: markers where evaluated, whiskers of ±1 SE, no
   * lines. A run's SE is its evaluation's, over questions; an arm's over seeds (sd / sqrt(seeds)),
   * as in the report's table. Each later series' marker is smaller, so two series at the same
   * point both stay visible.
   */
  function evalCharts(container) {
    clearNotes(container);
    const us = units(null);
    const keys = [];
    for (const u of us) for (const r of u.runs) for (const l of r.metrics) if (isEval(l)) {
      const k = l.split + ' · ' + l.setting;
      if (!keys.includes(k)) keys.push(k);
    }
    const order = ['train', 'val', 'test', 'test_ood'];
    const rank = (k) => { const i = order.indexOf(k.split(' · ')[0]); return i < 0 ? 9 : i; };
    keys.sort((a, b) => rank(a) - rank(b));
    for (const key of keys) {
      const [split, setting] = key.split(' · ');
      const tables = [], shown = [];
      for (const u of us) {
        const at = pooled(u, (r) => {
          const times = view.x === 'time' ? clock(r) : null, byX = new Map();
          for (const l of r.metrics)
            if (isEval(l) && l.split === split && l.setting === setting && typeof score(l) === 'number') {
              const x = view.x === 'epoch' && l.epoch === undefined ? 0 : xOf(r, l, times);
              if (x !== null) byX.set(x, [score(l), scoreSe(l)]);   // a repeat: the later line
            }
          return byX;
        });
        if (!at.size) continue;
        const xs = [...at.keys()].sort((a, b) => a - b);
        const ys = xs.map((x) => mean(at.get(x).map((v) => v[0])));
        const se = xs.map((x) => { const v = at.get(x); return v.length > 1 ? sd(v.map((p) => p[0])) / Math.sqrt(v.length) : v[0][1]; });
        tables.push({xs, ys, se});
        shown.push(u);
      }
      if (!tables.length) continue;
      const j = join(tables);
      const se = tables.map((t) => { const m = new Map(t.xs.map((x, i) => [x, t.se[i]])); return j.xs.map((x) => m.has(x) ? m.get(x) : null); });
      let lo = Infinity, hi = -Infinity;
      j.cols.forEach((c, i) => c.forEach((v, k) => { if (v !== null) { lo = Math.min(lo, v - se[i][k]); hi = Math.max(hi, v + se[i][k]); } }));
      // A span of at least 0.1 (10 points), so that a wobble of one SE does not fill the chart.
      const mid = (lo + hi) / 2, half = Math.max(0.05, (hi - lo) / 2 * 1.1);
      const yRange = () => [Math.max(0, Math.min(mid - half, 1 - 2 * half)), Math.min(1, Math.max(mid + half, 2 * half))];
      const draw = (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.lineWidth = 1.5 * devicePixelRatio;
        j.cols.forEach((c, i) => {
          if (!u.series[i + 1].show) return;
          ctx.strokeStyle = shown[i].colour;
          c.forEach((v, k) => {
            if (v === null || !se[i][k]) return;
            const x = u.valToPos(j.xs[k], 'x', true), y0 = u.valToPos(v - se[i][k], 'y', true), y1 = u.valToPos(v + se[i][k], 'y', true);
            const w = 4 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, y0); ctx.lineTo(x, y1);
            ctx.moveTo(x - w, y0); ctx.lineTo(x + w, y0);
            ctx.moveTo(x - w, y1); ctx.lineTo(x + w, y1);
            ctx.stroke();
          });
        });
        ctx.restore();
      };
      chart(container, key, j.xs, j.cols.map((c, i) => ({label: shown[i].name, values: c, colour: shown[i].colour})), {points: true, yRange, draw});
    }
    if (!keys.length) container.appendChild(el('p', {class: 'empty'}, 'No evaluations yet.'));
  }

  // ---- samples and configs ------------------------------------------------------------------

  function options(select, names, value, blank) {
    select.innerHTML = '';
    if (blank) select.appendChild(el('option', {value: ''}, blank));
    for (const n of names) select.appendChild(el('option', {value: n}, n));
    select.value = value || '';
  }

  function samplesTable() {
    const withSamples = [...runs.values()].filter((r) => r.samples.length || r.kind !== 'eval').map((r) => r.name);
    if (!view.sampleRun || !runs.has(view.sampleRun)) view.sampleRun = [...runs.values()].find((r) => r.samples.length)?.name || withSamples[0] || null;
    options($('sample-run'), withSamples, view.sampleRun);
    const body = $('samples').tBodies[0];
    body.innerHTML = '';
    const run = runs.get(view.sampleRun);
    if (!run) return;
    let rows = run.samples.filter((s) => (view.filter === 'all' || (view.filter === 'correct') === (s.correct === true))
        && (view.source === 'all' || (view.source === 'eval') === (typeof s.split === 'string')));
    rows = rows.slice(Math.max(0, rows.length - view.count)).reverse();
    for (const s of rows) {
      const tr = el('tr', {class: s.correct ? 'right' : 'wrong'});
      const where = s.split ? s.split + ' ' + s.setting + ', epoch ' + fmt(s.epoch) : 'step ' + (s.generation_step !== undefined ? s.generation_step : s.step);
      tr.appendChild(el('td', {}, where));
      const td = el('td');
      const src = STATIC ? s.image_data : (s.image ? 'api/image?run=' + encodeURIComponent(run.name) + '&path=' + encodeURIComponent(s.image) : null);
      if (src) td.appendChild(el('img', {src, alt: 'the picture of ' + (s.id || 'the question')}));
      tr.appendChild(td);
      tr.appendChild(el('td', {}, s.question || ''));
      tr.appendChild(el('td', {class: 'response'}, s.response || ''));
      tr.appendChild(el('td', {}, s.answer || ''));
      tr.appendChild(el('td', {class: 'n'}, typeof s.reward === 'number' ? s.reward.toFixed(2) : ''));
      tr.appendChild(el('td', {class: 'ok'}, s.correct ? 'yes' : 'no'));
      tr.appendChild(el('td', {class: 'n'}, s.length === undefined ? '' : String(s.length)));
      body.appendChild(tr);
    }
    if (!rows.length) {
      const tr = el('tr');
      tr.appendChild(el('td', {colspan: '8', class: 'empty'}, run.samples.length ? 'None of this kind.' : 'This run has logged no samples (yet).'));
      body.appendChild(tr);
    }
  }

  async function configOf(name) {
    const run = runs.get(name);
    if (!run) return null;
    if (run.config === undefined && !STATIC) {
      try { run.config = await (await api('api/config?run=' + encodeURIComponent(name))).text(); } catch (e) { run.config = null; }
    }
    return run.config;
  }

  /** A line diff (longest common subsequence): configs are a few dozen lines. */
  function diff(a, b) {
    const n = a.length, m = b.length, L = Array.from({length: n + 1}, () => new Array(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    const out = [];
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { out.push([' ', a[i]]); i++; j++; }
      else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) out.push(['+', b[j++]]);
      else out.push(['-', a[i++]]);
    }
    return out;
  }

  async function configs() {
    const names = [...runs.values()].filter((r) => r.kind !== 'eval').map((r) => r.name);
    if (!view.configA || !names.includes(view.configA)) view.configA = names[0] || null;
    options($('config-a'), names, view.configA);
    options($('config-b'), names.filter((n) => n !== view.configA), view.configB, '(none)');
    const pre = $('config');
    pre.innerHTML = '';
    if (!view.configA) return;
    const a = await configOf(view.configA);
    if (!view.configB) { pre.textContent = a === null ? '(no config.yaml)' : a; return; }
    const b = await configOf(view.configB);
    pre.appendChild(el('span', {class: 'hint'}, '- only in ' + view.configA + ', + only in ' + view.configB + '\n\n'));
    for (const [op, line] of diff((a || '').split('\n'), (b || '').split('\n'))) {
      const span = el('span', op === '+' ? {class: 'add'} : op === '-' ? {class: 'del'} : {}, op + ' ' + line + '\n');
      pre.appendChild(span);
    }
  }

  // ---- the page ------------------------------------------------------------------------------

  function runList() {
    const list = $('run-list');
    list.innerHTML = '';
    for (const r of runs.values()) {
      const box = el('input', {type: 'checkbox', value: r.name});
      box.checked = selected.has(r.name);
      box.addEventListener('change', () => { if (box.checked) selected.add(r.name); else selected.delete(r.name); refresh(); });
      const l = el('label');
      l.appendChild(box);
      l.appendChild(document.createTextNode(' ' + r.name + ' '));
      l.appendChild(el('span', {class: 'kind'}, r.kind));
      list.appendChild(l);
    }
    if (!runs.size) list.appendChild(el('p', {class: 'empty'}, 'No runs here yet: a folder with metrics.jsonl appears as soon as it is written.'));
  }

  function render() {
    generation++;
    runList();
    evalCharts($('eval-charts'));
    stepCharts($('rl-charts'), 'rl', RL_CHARTS);
    stepCharts($('sft-charts'), 'sft', SFT_CHARTS);
    sweep();
    samplesTable();
    configs();
    document.body.dataset.rendered = String((+document.body.dataset.rendered || 0) + 1);
  }

  /** A run ticked on the live page may not have been read yet. */
  async function refresh() {
    if (!STATIC) for (const r of runs.values()) if (selected.has(r.name) && r.next.metrics === 0) { await pull(r, 'metrics'); await pull(r, 'samples'); }
    render();
  }

  function controls() {
    $('arms').addEventListener('change', (e) => { view.arms = e.target.checked; render(); });
    $('x-axis').addEventListener('change', (e) => { view.x = e.target.value; render(); });
    $('smoothing').addEventListener('input', (e) => { view.smooth = +e.target.value; $('smoothing-value').textContent = e.target.value; render(); });
    $('sample-run').addEventListener('change', (e) => { view.sampleRun = e.target.value; refresh(); });
    $('sample-filter').addEventListener('change', (e) => { view.filter = e.target.value; samplesTable(); });
    $('sample-source').addEventListener('change', (e) => { view.source = e.target.value; samplesTable(); });
    $('sample-count').addEventListener('change', (e) => { view.count = +e.target.value; samplesTable(); });
    $('config-a').addEventListener('change', (e) => { view.configA = e.target.value; configs(); });
    $('config-b').addEventListener('change', (e) => { view.configB = e.target.value || null; configs(); });
  }

  /** A view can be linked: ?x=step&arms=1&smooth=0.6 */
  function fromAddress() {
    const q = new URLSearchParams(location.search);
    if (['step', 'epoch', 'time'].includes(q.get('x'))) view.x = q.get('x');
    if (q.get('arms') === '1') view.arms = true;
    const a = parseFloat(q.get('smooth'));
    if (a >= 0 && a < 1) view.smooth = a;
    $('x-axis').value = view.x;
    $('arms').checked = view.arms;
    $('smoothing').value = String(view.smooth);
    $('smoothing-value').textContent = String(view.smooth);
  }

  function start() {
    fromAddress();
    controls();
    if (STATIC) {
      for (const r of STATIC.runs) {
        const run = addRun(r.name, r.kind);
        run.metrics = r.metrics.map(parse).filter((o) => o);
        run.samples = r.samples.map(parse).filter((o) => o);
        run.config = r.config;
      }
      $('status').textContent = 'static report made ' + STATIC.made + ' (jaye serve shows the runs live)';
      render();
    } else poll();
  }

  // The test and a curious reader can look at the page's state.
  window.jaye = {runs, selected, view, render, live};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
