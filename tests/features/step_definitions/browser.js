// Step definitions of the report: open report.html in Debian's chromium
// (headless, through puppeteer-core, which downloads nothing) from file://
// with the network off, and check what a user sees.
'use strict';
const { Given, When, Then, After, setDefaultTimeout } = require('@cucumber/cucumber');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Screenshots of the scenarios land here (kept after the run, to look at).
const SHOTS = process.env.TAPSCALE_SCREENSHOTS || path.join(ROOT, 'build', 'screenshots');

// Runs of a generated fleet under the sanitizers take seconds, not the 5 s default.
setDefaultTimeout(120000);

After({ tags: '@browser' }, async function () {
  if (this.browser) await this.browser.close();
});

function utcSeconds(iso) {
  const ms = Date.parse(iso);
  assert.ok(Number.isFinite(ms), `not a time: ${iso}`);
  return ms / 1000;
}

Given('a generated fleet of {int} pools over {int} days', function (pools, days) {
  const gen = path.join(ROOT, 'build', 'bench', 'gen_fleet');
  const r = spawnSync(gen, [this.inputs, String(pools), String(days)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${gen}: ${r.stderr}`);
});

When('I open {string} in a browser without network', { timeout: 60000 }, async function (rel) {
  const file = path.join(this.out, rel);
  assert.ok(fs.existsSync(file), `${file} is missing`);
  this.browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions'],
  });
  const page = await this.browser.newPage();
  this.page = page;
  this.problems = [];
  await page.setViewport({ width: 1300, height: 900 });
  await page.setOfflineMode(true);
  await page.setRequestInterception(true);
  const url = 'file://' + file;
  page.on('request', (req) => {
    if (req.url() === url || req.url().startsWith('data:')) req.continue();
    else {
      this.problems.push(`request to ${req.url()}`);
      req.abort();
    }
  });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') this.problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => this.problems.push(`script error: ${e.message}`));
  page.on('requestfailed', (r) => { if (r.url() !== url) this.problems.push(`failed request: ${r.url()}`); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
});

Then('the page has no console error and no failed request', function () {
  assert.deepEqual(this.problems, []);
});

Then('the overview lists {int} pools, worst first', async function (n) {
  const rows = await this.page.evaluate(() => {
    const seen = [];
    for (const tr of document.querySelectorAll('#overview tbody tr')) {
      const id = tr.getAttribute('data-pool');
      if (!seen.includes(id)) seen.push(id);
    }
    return seen.map(Number);
  });
  assert.equal(rows.length, n);
  // worst first: the verdict's rank, then violation-minutes, never rising
  const data = await this.page.evaluate(() => window.tapscale.data);
  const rank = { FAIL: 2, WARN: 1, PASS: 0 };
  const key = (p) => [p.verdict ? rank[p.verdict] : 0, Math.max(...p.runs.map((r) => r.violation_minutes))];
  const byId = new Map(data.pools.map((p) => [p.id, p]));
  for (let i = 1; i < rows.length; i++) {
    const a = key(byId.get(rows[i - 1])), b = key(byId.get(rows[i]));
    assert.ok(a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]), `pool ${rows[i]} is listed after a better one`);
  }
});

// The share of a canvas's pixels that are drawn (not transparent or white).
async function inked(page, selector) {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const g = c.getContext('2d');
    const px = g.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4)
      if (px[i + 3] > 0 && !(px[i] > 245 && px[i + 1] > 245 && px[i + 2] > 245)) ink++;
    return ink / (c.width * c.height);
  }));
}

Then('every pool drawn in detail has its charts drawn, axes labelled with units', async function () {
  const pools = await this.page.$$eval('section.pool', (s) => s.map((e) => e.id));
  const data = await this.page.evaluate(() => window.tapscale.data);
  assert.equal(pools.length, data.pools.filter((p) => p.detailed).length);
  assert.ok(pools.length > 0);
  const want = { demand: ['time (UTC)', 'tokens / hour'], replicas: ['time (UTC)', 'replicas'], util: ['utilization %', '% of steps'] };
  for (const id of pools) {
    for (const [chart, labels] of Object.entries(want)) {
      const sel = `#${id} .chart.${chart} canvas`;
      const ink = await inked(this.page, sel);
      assert.equal(ink.length, 1, `${sel}: ${ink.length} canvases`);
      assert.ok(ink[0] > 0.005, `${sel} is blank (${(ink[0] * 100).toFixed(3)} % drawn)`);
      // uPlot draws the axis labels on the canvas: read them from the chart
      const axisText = await this.page.evaluate((i, c) => window.tapscale.charts[i][c].axes.map((a) => a.label),
        Number(id.slice('pool-'.length)), chart);
      for (const l of labels) assert.ok(axisText.some((t) => t.startsWith(l)), `${sel}: no axis label "${l}" in ${JSON.stringify(axisText)}`);
    }
  }
});

Then('I save a screenshot as {string}', async function (name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name + '.png');
  await this.page.screenshot({ path: file, fullPage: true });
  assert.ok(fs.statSync(file).size > 20000, `${file} is too small to show anything`);
});

async function poolId(page, model) {
  const id = await page.evaluate((m) => {
    const p = window.tapscale.data.pools.find((q) => q.model === m);
    return p ? p.id : null;
  }, model);
  assert.notEqual(id, null, `no pool ${model}`);
  return id;
}

When('I move the cursor over the demand chart of {string} at {string}', async function (model, iso) {
  const id = await poolId(this.page, model);
  const t = utcSeconds(iso);
  await this.page.evaluate((i) => document.getElementById('pool-' + i).scrollIntoView(), id);
  const at = await this.page.evaluate((i, tt) => {
    const u = window.tapscale.charts[i].demand;
    const r = u.over.getBoundingClientRect();
    return { x: r.left + u.valToPos(tt, 'x'), y: r.top + r.height / 2 };
  }, id, t);
  await this.page.mouse.move(at.x, at.y);
  this.hovered = { id, t };
});

Then('the readout shows the row of {string} at {string}', async function (rel, iso) {
  const { header, rows } = (() => {
    const lines = fs.readFileSync(path.join(this.out, rel), 'utf8').trim().split('\n');
    return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
  })();
  const row = rows.find((r) => r[0] === iso);
  assert.ok(row, `${rel} has no row at ${iso}`);
  const col = (name) => Number(row[header.indexOf(name)]);
  const shown = await this.page.evaluate((i) => {
    const line = document.querySelector(`.readout[data-pool="${i}"] .readout-line`);
    if (!line) return null;
    const out = { t: Number(line.getAttribute('data-t')) };
    for (const e of line.querySelectorAll('.ro')) out[e.getAttribute('data-name')] = Number(e.getAttribute('data-value'));
    out.text = line.textContent;
    return out;
  }, this.hovered.id);
  assert.ok(shown, 'no readout under the chart');
  assert.equal(shown.t, utcSeconds(iso), `the readout is at ${new Date(shown.t * 1000).toISOString()}`);
  assert.equal(shown.demand_max, col('demand_tokens_per_hour'));
  assert.equal(shown.ready_min, col('ready_replicas'));
  assert.equal(shown.provisioned_max, col('ready_replicas') + col('warming_replicas'));
  assert.equal(shown.capacity_min, col('effective_capacity'));
  assert.ok(shown.text.includes(iso.replace('T', ' ').replace(':00Z', ' UTC')), `readout text: ${shown.text}`);
});

async function xRange(page, id, chart) {
  return page.evaluate((i, c) => {
    const s = window.tapscale.charts[i][c].scales.x;
    return [s.min, s.max];
  }, id, chart);
}

When('I zoom the charts of {string} with the wheel at {string}', async function (model, iso) {
  const id = await poolId(this.page, model);
  this.zoomed = { id, t: utcSeconds(iso), before: await xRange(this.page, id, 'demand') };
  await this.page.evaluate((i) => document.getElementById('pool-' + i).scrollIntoView(), id);
  const at = await this.page.evaluate((i, tt) => {
    const u = window.tapscale.charts[i].demand;
    const r = u.over.getBoundingClientRect();
    return { x: r.left + u.valToPos(tt, 'x'), y: r.top + r.height / 2 };
  }, id, this.zoomed.t);
  await this.page.mouse.move(at.x, at.y);
  for (let k = 0; k < 3; k++) await this.page.mouse.wheel({ deltaY: -100 });
});

Then('the demand and replicas charts of {string} show the same narrower range around {string}', async function (model, iso) {
  const id = await poolId(this.page, model);
  const d = await xRange(this.page, id, 'demand'), r = await xRange(this.page, id, 'replicas');
  const t = utcSeconds(iso), [b0, b1] = this.zoomed.before;
  assert.deepEqual(r, d, 'the replicas chart did not follow');
  assert.ok(d[1] - d[0] < 0.7 * (b1 - b0), `range ${d} is not narrower than ${this.zoomed.before}`);
  assert.ok(d[0] < t && t < d[1], `range ${d} does not hold ${t}`);
  this.zoomed.range = d;
});

When('I press {string} for {string}', async function (label, model) {
  const id = await poolId(this.page, model);
  const buttons = await this.page.$$(`#pool-${id} .tools button`);
  for (const b of buttons) {
    if ((await b.evaluate((e) => e.textContent)) === label) {
      await b.click();
      return;
    }
  }
  assert.fail(`no button "${label}"`);
});

Then('the demand and replicas charts of {string} show a later range of the same length', async function (model) {
  const id = await poolId(this.page, model);
  const d = await xRange(this.page, id, 'demand'), r = await xRange(this.page, id, 'replicas');
  const [a0, a1] = this.zoomed.range;
  assert.deepEqual(r, d);
  assert.ok(d[0] > a0, `range ${d} is not later than ${this.zoomed.range}`);
  assert.ok(Math.abs((d[1] - d[0]) - (a1 - a0)) < 1e-6, 'the length changed');
});

Then('the demand chart of {string} shows the whole horizon', async function (model) {
  const id = await poolId(this.page, model);
  const d = await xRange(this.page, id, 'demand');
  const p = await this.page.evaluate((i) => window.tapscale.data.pools.find((q) => q.id === i), id);
  assert.deepEqual(d, [p.runs[0].detail.t0, p.end]);
});

Then('the demand chart of every pool drawn in detail has a ready capacity series for {string}', async function (names) {
  const got = await this.page.evaluate(() => Object.entries(window.tapscale.charts).map(([id, c]) =>
    [id, c.demand.series.map((s) => s.label)]));
  assert.ok(got.length > 0);
  for (const [id, labels] of got)
    for (const n of names.split(','))
      assert.ok(labels.includes(`${n}: ready capacity (min)`), `pool ${id}: ${JSON.stringify(labels)}`);
});

Then('every pool drawn in detail has a drawn Pareto chart with the current and the winning setting', async function () {
  const got = await this.page.evaluate(() => Object.entries(window.tapscale.charts).map(([id, c]) => ({
    id,
    labels: c.pareto ? c.pareto.series.slice(1).map((s) => s.label) : null,
    points: c.pareto ? c.pareto.data.slice(1).map((d) => d[0].length) : null,
  })));
  assert.ok(got.length > 0);
  for (const g of got) {
    assert.ok(g.labels, `pool ${g.id} has no Pareto chart`);
    assert.ok(g.labels.includes('current setting'), JSON.stringify(g.labels));
    assert.ok(g.labels.some((l) => l.startsWith('winner')), JSON.stringify(g.labels));
    assert.ok(g.points[0] > 10 && g.points[2] === 1 && g.points[3] === 1, `pool ${g.id}: points ${g.points}`);
    const ink = await inked(this.page, `#pool-${g.id} .chart.pareto canvas`);
    assert.ok(ink[0] > 0.003, `the Pareto chart of pool ${g.id} is blank`);
  }
});

Then('the file {string} is at most {int} MB', function (rel, mb) {
  const size = fs.statSync(path.join(this.out, rel)).size;
  assert.ok(size <= mb * 1e6, `${rel} is ${(size / 1e6).toFixed(1)} MB`);
});

Then('{int} pools are drawn in detail and the page says the other {int} are listed only', async function (n, rest) {
  const sections = await this.page.$$eval('section.pool', (s) => s.length);
  assert.equal(sections, n);
  const note = await this.page.$eval('#overview .note', (e) => e.textContent);
  assert.ok(note.includes(`Charts are drawn for the ${n} worst pools; the other ${rest} are listed here only`), note);
});

// The policies of a comparison step every 60, 15 and 2 s: their pictures
// must share the buckets' start and width, or the overlay would put them
// at different times.
Then('the settings of every pool drawn in detail share one time grid, each to the end of its horizon', async function () {
  const pools = await this.page.evaluate(() => window.tapscale.data.pools.filter((p) => p.detailed));
  assert.ok(pools.length > 0);
  for (const p of pools) {
    const d0 = p.runs[0].detail;
    const steps = new Set(p.runs.map((r) => r.step_s));
    assert.ok(steps.size > 1, `pool ${p.model}: the settings all step every ${[...steps]} s`);
    for (const r of p.runs) {
      assert.equal(r.detail.t0, d0.t0, `${p.model} ${r.setting}: t0`);
      assert.equal(r.detail.w, d0.w, `${p.model} ${r.setting}: bucket width`);
      const end = p.start + r.steps * r.step_s, n = r.detail.dmax.length;
      assert.ok(r.detail.t0 + (n - 1) * r.detail.w < end && end <= r.detail.t0 + n * r.detail.w,
        `${p.model} ${r.setting}: ${n} buckets of ${r.detail.w} s do not end with the horizon at ${end}`);
    }
  }
});

// ------------------------------------------------------------- what-if

function section(page, model) {
  return page.evaluate((m) => {
    const p = window.tapscale.data.pools.find((q) => q.model === m);
    return p ? p.id : null;
  }, model);
}

When('I wait for the what-if of {string}', { timeout: 60000 }, async function (model) {
  const id = await section(this.page, model);
  assert.notEqual(id, null, `no pool ${model}`);
  await this.page.waitForSelector(`#pool-${id} .whatif[data-ready="1"]`, { timeout: 30000 });
});

When('I move the what-if slider {string} of {string} to {string}', async function (key, model, value) {
  const id = await section(this.page, model);
  const moved = await this.page.evaluate((id, key, value) => {
    const p = window.tapscale.data.pools.find((q) => q.id === id);
    const k = p.whatif.knobs.find((q) => q.key === key);
    if (!k) return `no slider ${key}: ${p.whatif.knobs.map((q) => q.key).join(', ')}`;
    const at = k.values.indexOf(value);
    if (at < 0) return `slider ${key} has no value ${value}: ${k.values.join(', ')}`;
    const input = document.querySelector(`#pool-${id} .whatif input[data-key="${key}"]`);
    input.value = String(at);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return '';
  }, id, key, value);
  assert.equal(moved, '');
});

// The panel's last result against consolidated_kpis.csv of the CLI's
// simulate with the same settings, value for value (the CSV prints each
// double's shortest round trip, as JSON does).
Then('the what-if of {string} gives what {string} gives', async function (model, cmd) {
  const id = await section(this.page, model);
  const got = await this.page.evaluate((id) => {
    const box = document.querySelector(`#pool-${id} .whatif`);
    return { changes: box.getAttribute('data-changes'), result: JSON.parse(box.getAttribute('data-result')) };
  }, id);
  assert.ok(!got.result.error, got.result.error);
  const out = path.join(this.work, 'cli-' + Date.now());
  const args = cmd.replace(/INPUTS/g, this.inputs).split(/\s+/).filter((a) => a.length);
  assert.equal(args[0], 'tapscale');
  const bin = process.env.TAPSCALE_BIN || path.join(ROOT, 'build', 'tapscale');
  const r = spawnSync(bin, [...args.slice(1), '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = fs.readFileSync(path.join(out, 'consolidated_kpis.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const row = lines.slice(1).map((l) => l.split(',')).find((f) => f[0] === model);
  assert.ok(row, `no row of ${model}`);
  const want = Object.fromEntries(head.map((h, i) => [h, row[i]]));
  const keys = ['scale_events', 'avg_util_pct', 'p95_util_pct', 'violations', 'violation_minutes', 'unserved_tokens',
    'replica_hours', 'gpu_hours', 'max_replicas', 'floor_replicas', 'ideal_gpu_hours', 'fixed_replicas',
    'fixed_gpu_hours', 'horizon_hours', 'queue_delay_p50_s', 'queue_delay_p95_s', 'queue_delay_p99_s',
    'queue_delay_max_s', 'delayed_minutes', 'dropped_tokens'];
  if (want.cost_per_month !== '') keys.push('cost_per_month', 'fixed_cost_per_month');
  for (const k of keys)
    assert.equal(got.result[k], Number(want[k]), `${k}: the page ${got.result[k]}, the CLI ${want[k]} (changes ${got.changes})`);
  this.whatifMs = got.result.ms;
});
