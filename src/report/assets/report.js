/*
 * report.js — draws report.html from its JSON block (#tapscale-data) with
 * uPlot: the fleet overview, then per pool drawn in detail the demand
 * against capacity, the replicas, the utilization and the money; compare
 * overlays the settings, tune draws the cost against the violation-minutes
 * of every setting tried. Times are UTC. Nothing is fetched.
 *
 * The charts are kept in window.tapscale.charts (pool id -> {demand,
 * replicas, util, pareto}) so that a test can find them. Each pool drawn
 * in detail has a what-if panel that simulates it again in the page with
 * the WebAssembly module the report carries (#tapscale-wasm).
 */
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('tapscale-data').textContent);
  const app = document.getElementById('app');
  const charts = {};
  window.tapscale = { data, charts };

  const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
  const DEMAND = '#d62728';
  const READY = '#2ca02c';
  const PROVISIONED = '#1f77b4';
  const NEEDED = '#9467bd';
  const FIXED = '#7f7f7f';

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  }
  const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const fmt3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
  function n0(v) { return v == null ? '–' : fmt.format(v); }
  function sig(v) { return v == null ? '–' : fmt3.format(v); }
  function money(v) {
    return v == null ? '–' : new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v) +
      (data.currency ? ' ' + data.currency : '');
  }
  function utc(t) { return new Date(t * 1000).toISOString().replace('.000Z', 'Z'); }
  function utcShort(t) { return utc(t).replace('T', ' ').replace(':00Z', ' UTC'); }
  function duration(s) {
    if (s % 86400 === 0) return (s / 86400) + ' d';
    if (s % 3600 === 0) return (s / 3600) + ' h';
    if (s % 60 === 0) return (s / 60) + ' min';
    return s + ' s';
  }
  const tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
  function width() { return Math.max(480, Math.min(1380, app.clientWidth - 60)); }

  // ------------------------------------------------------------ sparklines
  function sparkline(run) {
    const W = 120, H = 28, s = run.spark, n = s.d.length;
    const svgNS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNS, 'svg');
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('class', 'spark');
    svg.setAttribute('role', 'img');
    const max = 1000;
    const x = (i) => (n <= 1 ? W / 2 : (i * (W - 2)) / (n - 1) + 1);
    const y = (v) => H - 2 - (v / max) * (H - 4);
    for (let i = 0; i < n; i++) {
      if (!s.v[i]) continue;
      const r = document.createElementNS(svgNS, 'rect');
      r.setAttribute('x', x(i) - 1);
      r.setAttribute('y', 0);
      r.setAttribute('width', Math.max(2, W / n));
      r.setAttribute('height', H);
      r.setAttribute('class', 'spark-viol');
      svg.append(r);
    }
    for (const [vals, cls] of [[s.c, 'spark-cap'], [s.d, 'spark-demand']]) {
      const p = document.createElementNS(svgNS, 'polyline');
      p.setAttribute('points', vals.map((v, i) => x(i).toFixed(1) + ',' + y(v).toFixed(1)).join(' '));
      p.setAttribute('class', cls);
      svg.append(p);
    }
    const title = document.createElementNS(svgNS, 'title');
    title.textContent = 'demand (red) and ready capacity (green), each bucket ' + duration(s.w) +
      '; shaded: demand above ready capacity';
    svg.append(title);
    return svg;
  }

  // -------------------------------------------------------------- overview
  function verdictBadge(v) { return v ? el('span', { class: 'badge ' + v.toLowerCase(), text: v }) : ''; }

  function overview() {
    const sec = el('section', { id: 'overview' }, el('h2', { text: 'Fleet overview' }));
    const detailed = data.pools.filter((p) => p.detailed).length;
    const note = el('p', { class: 'note' });
    note.textContent = data.verdict
      ? 'Pools worst first: verdict, then violation-minutes, then cost per month.'
      : 'Pools worst first: the most violation-minutes of any setting, then the highest cost per month.';
    if (detailed < data.pools_total)
      note.textContent += ` Charts are drawn for the ${detailed} worst pools; the other ` +
        `${data.pools_total - detailed} are listed here only (their numbers are in consolidated_kpis.csv` +
        ' and the rollup file).';
    sec.append(note);
    const multi = data.settings.length > 1;
    const head = ['Pool', 'GPU'];
    if (data.verdict) head.push('Verdict');
    if (multi) head.push('Setting');
    head.push('Demand vs ready capacity', 'Scale events', 'Avg util %', 'p95 util %', 'Violation min',
      'Wait p99 / longest s', 'GPU-hours / month', 'Cost / month', 'Ideal / month', 'Fixed fleet / month');
    const table = el('table', { class: 'overview' });
    table.append(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { text: h })))));
    const body = el('tbody');
    for (const p of data.pools) {
      p.runs.forEach((r, j) => {
        const tr = el('tr', { 'data-pool': p.id });
        if (j === 0) {
          const name = p.detailed ? el('a', { href: '#pool-' + p.id, text: p.model }) : el('span', { text: p.model });
          const rs = multi ? String(p.runs.length) : '1';
          tr.append(el('td', { rowspan: rs, class: 'model' }, name));
          tr.append(el('td', { rowspan: rs, text: p.gpu + (p.gpu_count > 1 ? ' \u00d7' + p.gpu_count : '') }));
          if (data.verdict) tr.append(el('td', { rowspan: rs }, verdictBadge(p.verdict)));
        }
        if (multi) tr.append(el('td', { text: r.setting }));
        const perMonth = (v) => (r.hours > 0 ? (v * 720) / r.hours : 0);
        tr.append(el('td', {}, sparkline(r)));
        for (const v of [n0(r.scale_events), sig(r.avg_util_pct), sig(r.p95_util_pct), n0(r.violation_minutes),
          n0(r.queue_delay_p99_s) + ' / ' + n0(r.queue_delay_max_s), n0(perMonth(r.gpu_hours)), r.cost ? money(r.cost.month) : '–',
          r.cost ? money(r.cost.ideal_month) : '–', r.cost ? money(r.cost.fixed_month) : '–'])
          tr.append(el('td', { class: 'num', text: v }));
        body.append(tr);
      });
    }
    table.append(body);
    sec.append(el('div', { class: 'scroll' }, table));
    return sec;
  }

  // ------------------------------------------------------- the time charts
  // The buckets of a pool's charts: x (bucket start, unix s) over the
  // longest of its settings' pictures (they share one grid; a setting whose
  // horizon ends a bucket earlier is padded with nulls by col()).
  function times(p) {
    const n = Math.max(...p.runs.map((r) => r.detail.dmax.length)), d = p.runs[0].detail;
    return Array.from({ length: n }, (_, k) => d.t0 + k * d.w);
  }
  function col(x, a) { return a.length === x.length ? a : x.map((_, k) => (k < a.length ? a[k] : null)); }

  // Shades buckets with a violation and marks scale-ups (at the bottom) and
  // scale-downs (at the top) of detail d.
  function marksPlugin(d) {
    return {
      hooks: {
        drawAxes: [(u) => {
          const ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
          ctx.save();
          ctx.fillStyle = 'rgba(214, 39, 40, 0.13)';
          for (let k = 0; k < d.viol.length; k++) {
            if (!d.viol[k]) continue;
            const x0 = u.valToPos(d.t0 + k * d.w, 'x', true), x1 = u.valToPos(d.t0 + (k + 1) * d.w, 'x', true);
            ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
          }
          ctx.restore();
        }],
        draw: [(u) => {
          const ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
          const s = 5 * devicePixelRatio;
          ctx.save();
          for (let k = 0; k < d.up.length; k++) {
            if (!d.up[k] && !d.down[k]) continue;
            const x = u.valToPos(d.t0 + (k + 0.5) * d.w, 'x', true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            if (d.up[k]) {
              ctx.fillStyle = PROVISIONED;
              ctx.beginPath(); ctx.moveTo(x, bottom - s); ctx.lineTo(x - s / 1.5, bottom); ctx.lineTo(x + s / 1.5, bottom); ctx.fill();
            }
            if (d.down[k]) {
              ctx.fillStyle = '#ff7f0e';
              ctx.beginPath(); ctx.moveTo(x, top + s); ctx.lineTo(x - s / 1.5, top); ctx.lineTo(x + s / 1.5, top); ctx.fill();
            }
          }
          ctx.restore();
        }],
      },
    };
  }

  // The readout under a time chart: the bucket under the cursor, whole.
  function readoutPlugin(p, box) {
    return {
      hooks: {
        setCursor: [(u) => {
          const k = u.cursor.idx;
          if (k == null) { box.textContent = 'Move over the chart for the values of a time bucket.'; return; }
          box.replaceChildren();
          p.runs.forEach((r, j) => {
            const d = r.detail;
            if (!d || k >= d.dmax.length) return;
            const t = d.t0 + k * d.w;
            const step = r.step_s, nsteps = Math.round(Math.min(d.w, p.end - t) / step);
            const cap = p.tokens_per_hour_per_replica;
            const line = el('div', { class: 'readout-line', 'data-setting': r.setting, 'data-t': t });
            const item = (label, v, unit, name) => el('span', { class: 'ro', 'data-name': name, 'data-value': v },
              el('b', { text: label + ' ' }), (typeof v === 'number' ? sig(v) : v) + (unit ? ' ' + unit : ''));
            if (j === 0)
              line.append(el('span', { class: 'ro-time', text: utcShort(t) + (nsteps > 1 ? ` + ${duration(d.w)} (${nsteps} steps)` : '') }));
            if (p.runs.length > 1) line.append(el('span', { class: 'ro-setting', text: r.setting }));
            line.append(
              item('demand', d.dmax[k], 'tokens/h', 'demand_max'),
              nsteps > 1 ? item('min', d.dmin[k], '', 'demand_min') : '',
              item('ready', d.rmin[k], d.rmax[k] !== d.rmin[k] ? '\u2013 ' + d.rmax[k] : '', 'ready_min'),
              item('capacity', d.rmin[k] * cap, 'tokens/h', 'capacity_min'),
              item('provisioned', d.nmax[k], '', 'provisioned_max'),
              item('violation steps', d.viol[k], '', 'violation_steps'),
              item('scale-ups', d.up[k], '', 'ups'),
              item('scale-downs', d.down[k], '', 'downs'));
            box.append(line);
          });
        }],
      },
    };
  }

  // Zoom (drag to select, wheel at the cursor) and pan (the buttons, or
  // shift + wheel) of the x axis, shared by the charts of one pool.
  function wheelPlugin(group) {
    return {
      hooks: {
        ready: [(u) => {
          u.over.addEventListener('wheel', (e) => {
            e.preventDefault();
            const { min, max } = u.scales.x, span = max - min;
            let lo, hi;
            if (e.shiftKey) {
              const dx = (Math.sign(e.deltaY || e.deltaX) * span) / 10;
              lo = min + dx; hi = max + dx;
            } else {
              const at = u.posToVal(e.offsetX, 'x'), f = e.deltaY < 0 ? 0.8 : 1.25;
              lo = at - (at - min) * f; hi = at + (max - at) * f;
            }
            group.setX(lo, hi);
          }, { passive: false });
        }],
      },
    };
  }

  function xGroup(t0, t1) {
    const members = [];
    return {
      members,
      setX(lo, hi) {
        const span = Math.min(hi - lo, t1 - t0);
        if (lo < t0) { lo = t0; hi = t0 + span; }
        if (hi > t1) { hi = t1; lo = t1 - span; }
        for (const u of members) u.setScale('x', { min: lo, max: hi });
      },
      reset() { this.setX(t0, t1); },
      pan(f) {
        const { min, max } = members[0].scales.x;
        this.setX(min + f * (max - min), max + f * (max - min));
      },
    };
  }

  // Tick labels of a UTC time axis: 24-hour times, with the date where the
  // day changes (and dates alone when ticks are days apart).
  function timeTicks(u, splits, ax, space, incr) {
    let day = null;
    return splits.map((v) => {
      const iso = utc(v), d = iso.slice(0, 10), hm = iso.slice(11, 16);
      if (incr >= 86400) return d;
      const label = d !== day ? hm + '\n' + d : hm;
      day = d;
      return label;
    });
  }

  function timeAxes(yLabel) {
    return [
      { label: 'time (UTC)', labelSize: 20, values: timeTicks, size: 48 },
      { label: yLabel, labelSize: 26, size: 62, values: (u, vals) => vals.map((v) => compact.format(v)) },
    ];
  }

  function demandChart(p, box, group) {
    const x = times(p);
    const cap = p.tokens_per_hour_per_replica;
    const d0 = p.runs[0].detail;
    const series = [{ label: 'time' },
      { label: 'demand (max)', stroke: DEMAND, width: 1.5, value: (u, v) => (v == null ? '–' : sig(v)) },
      { label: 'demand (min)', stroke: 'rgba(214,39,40,0.45)', width: 1, value: (u, v) => (v == null ? '–' : sig(v)) }];
    const cols = [x, col(x, d0.dmax), col(x, d0.dmin)];
    p.runs.forEach((r, j) => {
      const d = r.detail;
      const name = p.runs.length > 1 ? r.setting + ': ' : '';
      series.push({ label: name + 'ready capacity (min)', stroke: p.runs.length > 1 ? COLORS[j % COLORS.length] : READY,
        width: 1.5, value: (u, v) => (v == null ? '–' : sig(v)) });
      cols.push(col(x, d.rmin.map((v) => v * cap)));
      if (p.runs.length === 1) {
        series.push({ label: 'provisioned capacity, warming included (max)', stroke: PROVISIONED, width: 1, dash: [5, 4],
          value: (u, v) => (v == null ? '–' : sig(v)) });
        cols.push(col(x, d.nmax.map((v) => v * cap)));
      }
    });
    const readout = el('div', { class: 'readout', 'data-pool': p.id });
    const opts = {
      title: 'Demand and capacity (tokens/hour)',
      width: width(), height: 300, tzDate, series, axes: timeAxes('tokens / hour'),
      scales: { x: { time: true }, y: { range: (u, lo, hi) => [0, hi > 0 ? hi * 1.05 : 1] } },
      cursor: { sync: { key: 'pool-' + p.id }, drag: { x: true, y: false } },
      plugins: [...(p.runs.length === 1 ? [marksPlugin(d0)] : []), readoutPlugin(p, readout), wheelPlugin(group)],
    };
    const u = new uPlot(opts, cols, box);
    box.append(readout);
    return u;
  }

  function replicasChart(p, box, group) {
    const x = times(p);
    const series = [{ label: 'time' }];
    const cols = [x];
    p.runs.forEach((r, j) => {
      const d = r.detail;
      const name = p.runs.length > 1 ? r.setting + ': ' : '';
      const color = p.runs.length > 1 ? COLORS[j % COLORS.length] : PROVISIONED;
      series.push({ label: name + 'provisioned (max)', stroke: color, width: 1.5, paths: uPlot.paths.stepped({ align: 1 }) });
      cols.push(col(x, d.nmax));
      series.push({ label: name + 'ready (min)', stroke: p.runs.length > 1 ? color : READY, width: 1, dash: p.runs.length > 1 ? [3, 3] : undefined,
        paths: uPlot.paths.stepped({ align: 1 }) });
      cols.push(col(x, d.rmin));
    });
    series.push({ label: 'plan: instances needed', stroke: NEEDED, width: 1, dash: [8, 4] });
    cols.push(x.map(() => p.instances_needed));
    series.push({ label: 'fixed fleet for the peak', stroke: FIXED, width: 1, dash: [2, 4] });
    cols.push(x.map(() => p.runs[0].fixed_replicas));
    const opts = {
      title: 'Replicas', width: width(), height: 220, tzDate, series, axes: timeAxes('replicas'),
      scales: { x: { time: true }, y: { range: (u, lo, hi) => [0, Math.max(1, hi) * 1.08] } },
      cursor: { sync: { key: 'pool-' + p.id }, drag: { x: true, y: false } },
      plugins: [wheelPlugin(group)],
    };
    return new uPlot(opts, cols, box);
  }

  // Vertical reference lines (value in x units, label, colour).
  function linesPlugin(lines) {
    return {
      hooks: {
        draw: [(u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.font = `${11 * devicePixelRatio}px sans-serif`;
          lines.forEach(([v, label, color], i) => {
            const x = u.valToPos(Math.min(v, u.scales.x.max), 'x', true);
            if (x < u.bbox.left) return;
            ctx.strokeStyle = color; ctx.fillStyle = color; ctx.setLineDash([4, 3]);
            ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
            ctx.fillText(label, x + 3, u.bbox.top + (12 + 13 * i) * devicePixelRatio);
          });
          ctx.restore();
        }],
      },
    };
  }

  function utilChart(p, box) {
    const bins = p.runs[0].detail.util.length;
    const x = Array.from({ length: bins }, (_, k) => k + 1);
    const series = [{ label: 'utilization %' }];
    const cols = [x];
    p.runs.forEach((r, j) => {
      const u = r.detail.util, total = u.reduce((a, b) => a + b, 0);
      let acc = 0;
      cols.push(u.map((c) => { acc += c; return total ? (100 * acc) / total : null; }));
      series.push({ label: (p.runs.length > 1 ? r.setting + ': ' : '') + 'steps at or below (%)',
        stroke: COLORS[j % COLORS.length], width: 1.5, paths: uPlot.paths.stepped({ align: -1 }) });
    });
    const r0 = p.runs[0];
    const lines = [[r0.target_pct, 'target ' + sig(r0.target_pct) + ' %', NEEDED]];
    if (r0.scale_up_pct != null) lines.push([r0.scale_up_pct, 'scale up ' + sig(r0.scale_up_pct) + ' %', PROVISIONED]);
    if (r0.scale_down_pct != null) lines.push([r0.scale_down_pct, 'scale down ' + sig(r0.scale_down_pct) + ' %', '#ff7f0e']);
    lines.push([r0.p95_util_pct, 'p95 ' + sig(r0.p95_util_pct) + ' %' + (r0.p95_util_pct > bins ? ' \u2192' : ''), DEMAND]);
    const opts = {
      title: 'Utilization of the ready capacity, over steps (cumulative)', width: Math.min(width(), 560), height: 240, series,
      axes: [{ label: 'utilization % (the last bin holds 300 % and above)', labelSize: 20 },
        { label: '% of steps', labelSize: 26, size: 50 }],
      scales: { x: { time: false, range: [0, Math.min(bins, Math.max(110, Math.ceil(r0.p95_util_pct * 1.2)))] }, y: { range: [0, 100] } },
      plugins: [linesPlugin(lines)],
    };
    const u = new uPlot(opts, cols, box);
    const undef = r0.detail.util_undefined;
    if (undef) box.append(el('p', { class: 'note', text: `${undef} steps had no ready capacity (no utilization).` }));
    return u;
  }

  function moneyTable(p) {
    const table = el('table', { class: 'money' });
    table.append(el('thead', {}, el('tr', {}, ...['', 'GPU-hours', 'GPU-hours / month', 'Cost', 'Cost / month', 'vs ideal', '']
      .map((h) => el('th', { text: h })))));
    const body = el('tbody');
    const rows = [];
    p.runs.forEach((r) => {
      rows.push([(p.runs.length > 1 ? r.setting : 'this autoscaler'), r.gpu_hours, r.cost && r.cost.horizon, r]);
    });
    const r0 = p.runs[0];
    rows.push(['ideal autoscaler', r0.ideal_gpu_hours, r0.cost && r0.cost.ideal, r0,
      'the least replica time with which an autoscaler that knows the demand ahead, on the same step and warm-up, serves every step']);
    rows.push([`fixed fleet, ${r0.fixed_replicas} replicas`, r0.fixed_gpu_hours, r0.cost && r0.cost.fixed, r0,
      'the replicas the peak step needs, rented all along']);
    const max = Math.max(...rows.map((x) => x[1]));
    for (const [name, gh, cost, r, title] of rows) {
      const pm = (v) => (r.hours > 0 ? (v * 720) / r.hours : 0);
      const bar = el('div', { class: 'bar' });
      bar.style.width = (max > 0 ? (100 * gh) / max : 0).toFixed(1) + '%';
      body.append(el('tr', {}, el('td', { class: 'name', text: name, title: title || '' }), el('td', { class: 'num', text: n0(gh) }),
        el('td', { class: 'num', text: n0(pm(gh)) }), el('td', { class: 'num', text: cost == null ? '–' : money(cost) }),
        el('td', { class: 'num', text: cost == null ? '–' : money(pm(cost)) }),
        el('td', { class: 'num', text: r0.ideal_gpu_hours > 0 ? (gh / r0.ideal_gpu_hours).toFixed(2) + '\u00d7' : '–' }),
        el('td', { class: 'barcell' }, bar)));
    }
    table.append(body);
    return table;
  }

  // Draws the points of a scatter series (uPlot's facet mode).
  function scatterPaths(size) {
    return (u, si) => {
      uPlot.orient(u, si, (series, dataX, dataY, scaleX, scaleY, valToPosX, valToPosY, xOff, yOff, xDim, yDim, moveTo, lineTo, rect, arc) => {
        const d = u.data[si], ctx = u.ctx, r = (size * devicePixelRatio) / 2;
        const path = new Path2D();
        for (let i = 0; i < d[0].length; i++) {
          const x = d[0][i], y = d[1][i];
          if (x < scaleX.min || x > scaleX.max || y < scaleY.min || y > scaleY.max) continue;
          const cx = valToPosX(x, scaleX, xDim, xOff), cy = valToPosY(y, scaleY, yDim, yOff);
          path.moveTo(cx + r, cy);
          arc(path, cx, cy, r, 0, 2 * Math.PI);
        }
        ctx.fillStyle = series._fill || series.stroke();
        ctx.fill(path);
      });
      return null;
    };
  }

  // The front of the settings tried: none better on both axes.
  function front(points) {
    const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const out = [];
    for (const p of sorted) if (!out.length || p[1] < out[out.length - 1][1]) out.push(p);
    return out;
  }

  function paretoChart(p, box) {
    const t = p.tune, unit = { cost: 'cost / month' + (data.currency ? ' (' + data.currency + ')' : ''),
      gpu_hours: 'GPU-hours / month', events: 'scale events' }[t.objective];
    const pts = t.points, fr = front(pts);
    const col = (a) => [a.map((q) => q[0]), a.map((q) => q[1])];
    const best = t.winner || t.closest;
    const series = [{},
      { label: `settings tried (${pts.length})`, stroke: 'rgba(90,100,115,0.55)', paths: scatterPaths(4) },
      { label: 'front: none better on both', stroke: PROVISIONED, paths: scatterPaths(6) },
      { label: 'current setting', stroke: '#ff7f0e', paths: scatterPaths(11) },
      { label: t.winner ? 'winner (cheapest that meets the service level)' : 'closest (no setting meets the service level)',
        stroke: READY, paths: scatterPaths(11) }];
    const cols = [null, col(pts), col(fr), col([t.current.at]), col(best ? [best.at] : [])];
    const opts = {
      mode: 2, title: 'Settings tried: ' + unit + ' against violation-minutes', width: Math.min(width(), 760), height: 320,
      series, legend: { live: false }, cursor: { drag: { x: true, y: true }, points: { show: false } },
      scales: { x: { time: false, range: (u, lo, hi) => [0, Math.max(1, hi * 1.05)] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.08)] } },
      axes: [{ label: 'violation minutes over the horizon', labelSize: 20 },
        { label: unit, labelSize: 26, size: 62, values: (u, vals) => vals.map((v) => compact.format(v)) }],
    };
    const u = new uPlot(opts, cols, box);
    const lines = [['current', t.current]];
    if (best) lines.push([t.winner ? 'winner' : 'closest', best]);
    box.append(el('ul', { class: 'settings' }, ...lines.map(([name, c]) => el('li', {}, el('b', { text: name + ': ' }),
      `${sig(c.at[1])} ${unit}, ${sig(c.at[0])} violation minutes` + (c.setting ? ' \u2014 ' + c.setting : '')))));
    return u;
  }

  function kpiTiles(r) {
    const tiles = [['scale events', n0(r.scale_events)], ['avg utilization', sig(r.avg_util_pct) + ' %'],
      ['p95 utilization', sig(r.p95_util_pct) + ' %'], ['violation minutes', n0(r.violation_minutes)],
      ['unserved tokens', sig(r.unserved_tokens)],
      ['tokens waited: p50 / p99 / longest', n0(r.queue_delay_p50_s) + ' / ' + n0(r.queue_delay_p99_s) + ' / ' + n0(r.queue_delay_max_s) + ' s'],
      ['most tokens waiting', sig(r.max_backlog_tokens)], ['max replicas', n0(r.max_replicas)],
      ['always-on floor', n0(r.floor_replicas)], ['GPU-hours', n0(r.gpu_hours)]];
    if (r.forecast_mape_pct != null)
      tiles.push(['forecast error (MAPE / WAPE)', sig(r.forecast_mape_pct) + ' / ' + sig(r.forecast_wape_pct) + ' %']);
    return el('div', { class: 'tiles' }, ...tiles.map(([k, v]) => el('div', { class: 'tile' }, el('div', { class: 'v', text: v }), el('div', { class: 'k', text: k }))));
  }

  // --------------------------------------------------------------- what-if
  // The pool simulated again in the page by the WebAssembly module
  // (src/whatif/whatif.c): the same calls as `tapscale simulate`, so a
  // setting gives the CLI's numbers. window.tapscale.whatif[id].run(changes)
  // returns them; the panel's data-result holds the last, exact.
  const whatif = {};
  window.tapscale.whatif = whatif;
  const OUT = ['steps', 'scale_events', 'avg_util_pct', 'p95_util_pct', 'violations', 'violation_minutes',
    'unserved_tokens', 'replica_hours', 'gpu_hours', 'max_replicas', 'floor_replicas', 'queue_delay_p50_s',
    'queue_delay_p95_s', 'queue_delay_p99_s', 'queue_delay_max_s', 'delayed_minutes', 'dropped_tokens',
    'horizon_hours', 'ideal_replica_hours', 'fixed_replicas', 'fixed_replica_hours', 'step_s'];
  const wasmTag = document.getElementById('tapscale-wasm');
  const wasmReady = wasmTag ? WebAssembly.instantiate(Uint8Array.from(atob(wasmTag.textContent), (c) => c.charCodeAt(0)),
    { wasi_snapshot_preview1: new Proxy({}, { get: () => () => 52 }) }).then(({ instance }) => {
    instance.exports._initialize();
    return instance.exports;
  }) : null;

  function b64doubles(s) {
    const b = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    return new Float64Array(b.buffer);
  }

  // A simulator of pool p: run(changes) with changes {key: value text}.
  function simulator(e, p) {
    const w = p.whatif;
    const rate = b64doubles(w.rate);
    const enc = new TextEncoder();
    function put(bytes) {
      const at = e.whatif_alloc(bytes.length);
      new Uint8Array(e.memory.buffer, at, bytes.length).set(bytes);
      return at;
    }
    const cstr = (t) => put(enc.encode(t + '\0'));
    return function run(changes) {
      const t0 = performance.now();
      const lines = Object.entries(changes || {}).map(([k, v]) => k + '=' + v).join('\n');
      const prof = Float64Array.from(w.profile || [], (v) => (v == null ? NaN : v));
      const ptrs = [cstr(w.policy), cstr(lines), put(new Uint8Array(rate.buffer)),
        put(new Uint8Array(Float64Array.from(w.pool).buffer)), put(new Uint8Array(prof.buffer))];
      const nOut = e.whatif_out_count();
      const out = e.whatif_alloc(8 * nOut), msg = e.whatif_alloc(4096);
      const rc = e.whatif_run(ptrs[0], ptrs[1], ptrs[2], rate.length, ptrs[3], ptrs[4], prof.length / 8, out, msg, 4096);
      const vals = Array.from(new Float64Array(e.memory.buffer, out, nOut));
      const m = new Uint8Array(e.memory.buffer, msg, 4096);
      const text = new TextDecoder().decode(m.subarray(0, m.indexOf(0)));
      for (const q of [...ptrs, out, msg]) e.whatif_free(q);
      if (rc !== 0) return { error: text.trim() || 'the simulation failed (' + rc + ')' };
      const r = {};
      OUT.forEach((k, i) => { r[k] = vals[i]; });
      r.ideal_gpu_hours = r.ideal_replica_hours * p.gpu_count;
      r.fixed_gpu_hours = r.fixed_replica_hours * p.gpu_count;
      if (w.price != null) {
        r.cost = r.replica_hours * w.price;
        r.cost_per_month = r.horizon_hours > 0 ? r.cost * 720 / r.horizon_hours : 0;
        r.fixed_cost_per_month = r.horizon_hours > 0 ? r.fixed_replica_hours * w.price * 720 / r.horizon_hours : 0;
      }
      r.ms = performance.now() - t0;
      return r;
    };
  }

  function whatifPanel(p) {
    const box = el('div', { class: 'whatif' }, el('h3', { text: 'What if' }));
    if (!wasmReady) {
      box.append(el('p', { class: 'note', text: 'This tapscale was built without the what-if module (a wasm32 compiler).' }));
      return box;
    }
    const w = p.whatif;
    box.append(el('p', { class: 'note', text: 'Move a setting: the page simulates this pool\u2019s demand again with it, ' +
      'exactly as tapscale simulate --set autoscaling.KEY=VALUE would.' }));
    const knobs = el('div', { class: 'knobs' });
    const table = el('table', { class: 'overview' });
    const status = el('p', { class: 'note' });
    const inputs = [];
    for (const k of w.knobs) {
      const shown = el('span', { class: 'num', text: k.values[k.at] });
      const input = el('input', { type: 'range', min: '0', max: String(k.values.length - 1), step: '1',
        value: String(k.at), 'data-key': k.key, 'aria-label': k.key });
      inputs.push([k, input, shown]);
      knobs.append(el('label', {}, el('span', { class: 'k', text: k.key }), input, shown));
    }
    const reset = el('button', { type: 'button', text: 'reset' });
    box.append(knobs, reset, table, status);
    const r0 = p.runs[0];
    const rows = [['scale events', 'scale_events', n0], ['avg utilization %', 'avg_util_pct', sig],
      ['p95 utilization %', 'p95_util_pct', sig], ['violation minutes', 'violation_minutes', n0],
      ['unserved tokens', 'unserved_tokens', sig], ['wait p99 s', 'queue_delay_p99_s', n0],
      ['max replicas', 'max_replicas', n0], ['GPU-hours', 'gpu_hours', n0]];
    function draw(r) {
      const head = el('thead', {}, el('tr', {}, ...['', 'run', 'what-if'].map((h) => el('th', { text: h }))));
      const body = el('tbody');
      for (const [label, key, f] of rows)
        body.append(el('tr', {}, el('td', { text: label }), el('td', { class: 'num', text: f(r0[key]) }),
          el('td', { class: 'num', text: f(r[key]) })));
      if (r.cost_per_month != null)
        body.append(el('tr', {}, el('td', { text: 'cost / month' }), el('td', { class: 'num', text: r0.cost ? money(r0.cost.month) : '\u2013' }),
          el('td', { class: 'num', text: money(r.cost_per_month) })));
      table.replaceChildren(head, body);
    }
    wasmReady.then((e) => {
      const run = simulator(e, p);
      whatif[p.id] = { run };
      function update() {
        const changes = {};
        for (const [k, input, shown] of inputs) {
          const v = k.values[Number(input.value)];
          shown.textContent = v;
          if (Number(input.value) !== k.at) changes[k.key] = v;
        }
        const r = run(changes);
        box.setAttribute('data-changes', JSON.stringify(changes));
        box.setAttribute('data-result', JSON.stringify(r));
        if (r.error) { status.textContent = r.error; return; }
        draw(r);
        status.textContent = `simulated ${n0(r.steps)} steps in ${r.ms.toFixed(1)} ms`;
      }
      for (const [, input] of inputs) input.addEventListener('input', update);
      reset.addEventListener('click', () => { for (const [k, input] of inputs) input.value = String(k.at); update(); });
      update();
      box.setAttribute('data-ready', '1');
    });
    return box;
  }

  function poolSection(p) {
    const r0 = p.runs[0];
    const sec = el('section', { class: 'pool', id: 'pool-' + p.id });
    sec.append(el('h2', {}, p.model + ' on ' + p.gpu + (p.gpu_count > 1 ? ' \u00d7' + p.gpu_count : '') + ' ', verdictBadge(p.verdict)));
    sec.append(el('p', { class: 'note', text:
      `${utcShort(p.start)} to ${utcShort(p.end)}, a step of ${duration(r0.step_s)}, ${sig(p.tokens_per_hour_per_replica)} tokens/hour per replica at 100 %` +
      (p.runs.length === 1 ? `, policy ${r0.policy}, warm-up ${duration(r0.warmup_s)}.` : '.') +
      (r0.detail.steps_per_bucket > 1 ? ` Each point is a bucket of ${duration(r0.detail.w)} (${r0.detail.steps_per_bucket} steps): lines show its maximum demand and minimum ready capacity, so a burst of one step stays visible.` : ' Each point is one step.') }));
    if (p.reasons && p.reasons.length) sec.append(el('ul', { class: 'reasons' }, ...p.reasons.map((t) => el('li', { text: t }))));
    if (p.runs.length === 1) sec.append(kpiTiles(r0));
    else {
      const t = el('table', { class: 'overview' });
      t.append(el('thead', {}, el('tr', {}, ...['Setting', 'Policy', 'Scale events', 'Avg util %', 'p95 util %', 'Violation min', 'Wait p99 / longest s', 'GPU-hours', 'Cost / month']
        .map((h) => el('th', { text: h })))));
      const b = el('tbody');
      for (const r of p.runs)
        b.append(el('tr', {}, ...[r.setting, r.policy, n0(r.scale_events), sig(r.avg_util_pct), sig(r.p95_util_pct), n0(r.violation_minutes),
          n0(r.queue_delay_p99_s) + ' / ' + n0(r.queue_delay_max_s), n0(r.gpu_hours), r.cost ? money(r.cost.month) : '–'].map((v, i) => el('td', { class: i > 1 ? 'num' : '', text: v }))));
      t.append(b);
      sec.append(t);
    }
    const group = xGroup(r0.detail.t0, p.end);
    const tools = el('div', { class: 'tools' });
    const btn = (label, f, title) => { const b = el('button', { type: 'button', text: label, title }); b.addEventListener('click', f); return b; };
    tools.append(btn('\u25c0 pan', () => group.pan(-0.5), 'pan left by half the view'),
      btn('pan \u25b6', () => group.pan(0.5), 'pan right by half the view'),
      btn('whole horizon', () => group.reset(), 'show the whole horizon'),
      el('span', { class: 'note', text: ' Drag over a chart to zoom, use the wheel to zoom at the cursor, shift + wheel to pan, double-click to see it all.' }));
    sec.append(tools);
    const b1 = el('div', { class: 'chart demand' }), b2 = el('div', { class: 'chart replicas' });
    const b3 = el('div', { class: 'chart util' });
    sec.append(b1, b2, el('div', { class: 'row' }, b3, el('div', { class: 'moneybox' }, el('h3', { text: 'Money' }), moneyTable(p))));
    const c = { demand: demandChart(p, b1, group), replicas: replicasChart(p, b2, group), util: utilChart(p, b3) };
    if (p.tune) {
      const b4 = el('div', { class: 'chart pareto' });
      tools.before(b4);
      c.pareto = paretoChart(p, b4);
    }
    if (p.whatif) sec.append(whatifPanel(p));
    group.members.push(c.demand, c.replicas);
    charts[p.id] = c;
    return sec;
  }

  // ------------------------------------------------------------------ page
  const head = el('header', {});
  const title = { run: 'run', compare: 'comparison', tune: 'tuning' }[data.kind];
  head.append(el('h1', {}, `tapscale ${title} report `, verdictBadge(data.verdict)));
  head.append(el('p', { class: 'note', text: `inputs ${data.inputs}, seed ${data.seed}, tapscale ${data.version}; ` +
    `${data.pools_total} pool${data.pools_total === 1 ? '' : 's'}` + (data.settings.length > 1 ? `, settings compared: ${data.settings.join(', ')}` : '') + '. Times are UTC.' }));
  app.replaceChildren(head, overview());
  for (const p of data.pools) if (p.detailed) app.append(poolSection(p));
  document.body.setAttribute('data-ready', '1');
})();
