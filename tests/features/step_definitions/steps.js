// Step definitions: drive the built tapscale CLI as a user would, in a
// temporary folder per scenario, and check exit codes, files and messages.
'use strict';
const { Given, When, Then, Before, After } = require('@cucumber/cucumber');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = process.env.TAPSCALE_BIN || path.join(ROOT, 'build', 'tapscale');

Before(function () {
  this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'tapscale-bdd-'));
  this.inputs = path.join(this.work, 'inputs');
  this.out = path.join(this.work, 'out');
});

After(function () {
  fs.rmSync(this.work, { recursive: true, force: true });
});

function expand(world, s) {
  return s.replaceAll('INPUTS', world.inputs).replaceAll('OUT', world.out).replaceAll('EXAMPLES', path.join(ROOT, 'examples'));
}

// One CSV line's fields, RFC 4180 quotes honoured (a setting may hold commas).
function csvFields(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = csvFields(lines[0]);
  return { header, rows: lines.slice(1).map(csvFields) };
}

// Every file under dir (folders included, recursively) with its hash.
function snapshot(dir) {
  if (!fs.existsSync(dir)) return 'absent';
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.statSync(p);
    out.push(name + ':' + (st.isDirectory() ? '{' + snapshot(p) + '}' : crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')));
  }
  return out.join('\n');
}

Given('the inputs {string}', function (name) {
  fs.cpSync(path.join(ROOT, 'tests', 'fixtures', name), this.inputs, { recursive: true });
});

Given('the bundled example {string}', function (name) {
  fs.cpSync(path.join(ROOT, 'examples', name), this.inputs, { recursive: true });
});

Given('the policy has {string} set to {string}', function (key, value) {
  const file = path.join(this.inputs, 'operator', 'public_tap.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const re = new RegExp('^(\\s+)' + key + ':.*$', 'm');
  assert.ok(re.test(text), `no key ${key} in public_tap.yaml`);
  fs.writeFileSync(file, text.replace(re, `$1${key}: ${value}`));
});

Given('the file {string} contains:', function (rel, body) {
  const file = path.join(this.inputs, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body + '\n');
});

Given('the file {string} ends with:', function (rel, body) {
  fs.appendFileSync(path.join(this.inputs, rel), body + '\n');
});

Given('the output folder holds a file {string} containing {string}', function (name, content) {
  fs.mkdirSync(this.out, { recursive: true });
  fs.writeFileSync(path.join(this.out, name), content);
});

Given('a generated minute fleet of {int} pools over {int} days', function (pools, days) {
  const gen = path.join(ROOT, 'build', 'bench', 'gen_fleet');
  const r = spawnSync(gen, [this.inputs, String(pools), String(days), 'minute'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${gen}: ${r.stderr}`);
});

Given('the file {string} is larger than {int} MiB', function (rel, mib) {
  assert.ok(fs.statSync(expand(this, rel)).size > mib * 1048576);
});

When('I put a NUL byte at the start of line {int} of {string}', function (line, rel) {
  const file = expand(this, rel);
  const data = fs.readFileSync(file);
  let at = 0;
  for (let l = 1; l < line; l++) at = data.indexOf(10, at) + 1;
  assert.ok(at > 0 && at < data.length);
  data[at] = 0;
  fs.writeFileSync(file, data);
});

When('I run {string}', function (cmd) {
  this.before = snapshot(this.out);
  const args = expand(this, cmd).split(/\s+/).filter((a) => a.length);
  assert.equal(args[0], 'tapscale');
  const r = spawnSync(BIN, args.slice(1), { encoding: 'utf8', cwd: this.work });
  this.status = r.status;
  this.stdout = r.stdout;
  this.stderr = r.stderr;
});

Then('the exit code is {int}', function (code) {
  assert.equal(this.status, code, `stderr:\n${this.stderr}\nstdout:\n${this.stdout}`);
});

Then('stderr contains {string}', function (s) {
  assert.ok(this.stderr.includes(expand(this, s)), `stderr was:\n${this.stderr}`);
});

Then('stderr does not contain {string}', function (s) {
  assert.ok(!this.stderr.includes(expand(this, s)), `stderr was:\n${this.stderr}`);
});

Then('stderr has {int} lines', function (n) {
  assert.equal(this.stderr.split('\n').filter((l) => l).length, n, this.stderr);
});

Then('stdout does not contain {string}', function (s) {
  assert.ok(!this.stdout.includes(expand(this, s)), `stdout was:\n${this.stdout}`);
});

Then('stdout contains {string}', function (s) {
  assert.ok(this.stdout.includes(expand(this, s)), `stdout was:\n${this.stdout}`);
});

Then('the output folder is unchanged', function () {
  assert.equal(snapshot(this.out), this.before);
});

Then('the output folder holds exactly {string}', function (names) {
  assert.deepEqual(fs.readdirSync(this.out).sort(), names.split(',').sort());
});

Then('nothing but the output folder is in the work folder', function () {
  const left = fs.readdirSync(this.work).filter((n) => n !== 'inputs' && n !== 'out');
  assert.deepEqual(left, []);
});

Then('the file {string} has the columns {string}', function (rel, cols) {
  const { header } = readCsv(path.join(this.out, rel));
  assert.deepEqual(header, cols.split(','));
});

Then('the file {string} has at least {int} data row(s)', function (rel, n) {
  const { rows } = readCsv(path.join(this.out, rel));
  assert.ok(rows.length >= n, `${rows.length} rows`);
});

Then('the file {string} contains {string}', function (rel, text) {
  const file = path.resolve(this.work, expand(this, rel));
  assert.ok(fs.readFileSync(file, 'utf8').includes(text), `${rel} lacks ${text}`);
});

Then('the file {string} exists', function (rel) {
  assert.ok(fs.existsSync(path.join(this.out, rel)), rel);
});

Then('the plan has these rows:', function (table) {
  const { header, rows } = readCsv(path.join(this.out, 'public_tap_capacity_plan.csv'));
  const want = table.hashes();
  assert.equal(rows.length, want.length);
  want.forEach((w, i) => {
    for (const [k, v] of Object.entries(w)) {
      assert.equal(rows[i][header.indexOf(k)], v, `row ${i + 1} column ${k}`);
    }
  });
});

function summary(world) {
  return JSON.parse(fs.readFileSync(path.join(world.out, 'consolidated_summary.json'), 'utf8'));
}

Then('the verdict is {string}', function (v) {
  assert.equal(summary(this).acceptance.verdict, v);
});

Then('the rule {string} is {string}', function (rule, v) {
  assert.equal(summary(this).acceptance.rules[rule], v);
});

Then('the files {string} and {string} are identical', function (a, b) {
  assert.equal(fs.readFileSync(path.join(this.out, a), 'utf8'), fs.readFileSync(path.join(this.out, b), 'utf8'));
});

Then('the files {string} and {string} differ', function (a, b) {
  assert.notEqual(fs.readFileSync(path.join(this.out, a), 'utf8'), fs.readFileSync(path.join(this.out, b), 'utf8'));
});

Then('every file listed in {string} has that checksum', function (rel) {
  const dir = path.dirname(path.join(this.out, rel));
  const lines = fs.readFileSync(path.join(this.out, rel), 'utf8').split('\n').filter((l) => l);
  assert.ok(lines.length >= 5);
  for (const l of lines) {
    const [sum, name] = l.split(/\s+/);
    assert.equal(crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex'), sum, name);
  }
});

Then('the user guide page {string} holds stdout between {string} and {string}', function (page, begin, end) {
  const readme = fs.readFileSync(path.join(ROOT, page), 'utf8');
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  assert.ok(a >= 0 && b > a, `markers ${begin} .. ${end} in ${page}`);
  const block = readme.slice(readme.indexOf('\n', a) + 1, b);
  assert.equal(block, this.stdout, `${page}'s settings tables differ from \`tapscale settings\`: paste its output`);
});

Then('the JSON of pool {string} has {string} equal to {string}', function (model, key, value) {
  const pool = summary(this).pools.find((p) => p.model === model);
  assert.ok(pool, `no pool ${model}`);
  assert.equal(String(pool[key]), value);
});

Then('the JSON of pool {string} has {string} above {int}', function (model, key, n) {
  const pool = summary(this).pools.find((p) => p.model === model);
  assert.ok(pool, `no pool ${model}`);
  assert.ok(pool[key] > n, `${key} is ${pool[key]}`);
});

Then('in the JSON of every pool the arrived tokens are the served, dropped and left ones', function () {
  for (const p of summary(this).pools) {
    const sum = p.served_tokens + p.dropped_tokens + p.left_tokens;
    assert.ok(Math.abs(sum - p.arrived_tokens) <= 1e-9 * p.arrived_tokens, `${p.model}: ${sum} of ${p.arrived_tokens}`);
    assert.ok(p.arrived_tokens > 0);
  }
});

Then('the comparison has the settings {string} for every pool', function (names) {
  const { header, rows } = readCsv(path.join(this.out, 'policy_comparison.csv'));
  const want = names.split(',');
  const byModel = new Map();
  for (const r of rows) {
    const m = r[header.indexOf('model')];
    if (!byModel.has(m)) byModel.set(m, []);
    byModel.get(m).push(r[header.indexOf('policy')]);
  }
  for (const [m, got] of byModel) assert.deepEqual(got, want, m);
});

When('I put {string} in place of {string}', function (from, to) {
  fs.copyFileSync(expand(this, from), path.join(this.inputs, to));
});

function rowsOf(file) {
  const { header, rows } = readCsv(file);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

Then('every winner in {string} meets the service level and costs no more than the current setting', function (rel) {
  const rows = rowsOf(path.join(this.out, rel));
  const winners = rows.filter((r) => r.winner === 'true');
  assert.ok(winners.length >= 1);
  for (const w of winners) {
    assert.equal(w.meets_service_level, 'true');
    const pool = rows.filter((r) => r.model === w.model && r.meets_service_level === 'true');
    for (const r of pool) assert.ok(Number(w.cost) <= Number(r.cost), `${w.model}: ${w.cost} > ${r.cost}`);
  }
});

Then('the KPIs in {string} are the winners of {string}', function (runRel, tuneRel) {
  const run = rowsOf(path.join(this.work, runRel));
  const winners = rowsOf(path.join(this.work, tuneRel)).filter((r) => r.winner === 'true');
  assert.equal(winners.length, run.length);
  for (const w of winners) {
    const r = run.find((x) => x.model === w.model);
    for (const k of ['scale_events', 'avg_util_pct', 'p95_util_pct', 'violation_minutes', 'gpu_hours', 'cost'])
      assert.equal(r[k], w[k], `${w.model} ${k}`);
  }
});

Then('stderr line {int} contains {string}', function (n, s) {
  const lines = this.stderr.split('\n').filter((l) => l);
  assert.ok(lines.length >= n && lines[n - 1].includes(expand(this, s)), `stderr was:\n${this.stderr}`);
});

// Sums of the rollup per model against consolidated_kpis.csv: every period
// on its grid, in order, and the minutes, actions, tokens, GPU-hours and
// cost adding up to the pool's KPIs (to the rounding of the sums).
Then('the rollup {string} has a row per pool and {word}, on the {word}, and adds up to {string}', function (rel, unit, unit2, kpisRel) {
  const width = { hour: 3600, day: 86400 }[unit];
  assert.ok(width && unit === unit2, `unit ${unit}`);
  const roll = readCsv(path.join(this.out, rel));
  const kpis = readCsv(path.join(this.out, kpisRel));
  const rc = (n) => roll.header.indexOf(n), kc = (n) => kpis.header.indexOf(n);
  const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: rollup ${a}, KPIs ${b}`);
  assert.ok(kpis.rows.length > 0);
  for (const k of kpis.rows) {
    const model = k[kc('model')];
    const rows = roll.rows.filter((r) => r[rc('model')] === model);
    assert.ok(rows.length > 0, `no rollup rows for ${model}`);
    let prev = -Infinity;
    const sum = { viol: 0, events: 0, unserved: 0, gpu: 0, cost: 0 };
    for (const r of rows) {
      const t = Date.parse(r[rc('period_start')]) / 1000;
      assert.equal(t % width, 0, `${model}: ${r[rc('period_start')]} is not on the ${unit}`);
      assert.ok(t > prev, `${model}: periods out of order`);
      prev = t;
      sum.viol += Number(r[rc('violation_minutes')]);
      sum.events += Number(r[rc('scale_ups')]) + Number(r[rc('scale_downs')]);
      sum.unserved += Number(r[rc('unserved_tokens')]);
      sum.gpu += Number(r[rc('gpu_hours')]);
      sum.cost += Number(r[rc('cost')] || 0);
    }
    close(sum.viol, Number(k[kc('violation_minutes')]), `${model} violation minutes`);
    assert.equal(sum.events, Number(k[kc('scale_events')]), `${model} scale events`);
    close(sum.unserved, Number(k[kc('unserved_tokens')]), `${model} unserved tokens`);
    close(sum.gpu, Number(k[kc('gpu_hours')]), `${model} GPU-hours`);
    close(sum.cost, Number(k[kc('cost')] || 0), `${model} cost`);
    const first = Date.parse(rows[0][rc('period_start')]) / 1000, start = Date.parse(k[kc('horizon_start')]) / 1000;
    assert.ok(first <= start && start < first + width, `${model}: the first period does not hold the horizon's start`);
  }
});

Then('in the comparison {string} has fewer violation minutes than {string} for every pool', function (a, b) {
  const { header, rows } = readCsv(path.join(this.out, 'policy_comparison.csv'));
  const col = (n) => header.indexOf(n);
  const models = [...new Set(rows.map((r) => r[col('model')]))];
  assert.ok(models.length > 0);
  for (const m of models) {
    const v = (pol) => Number(rows.find((r) => r[col('model')] === m && r[col('policy')] === pol)[col('violation_minutes')]);
    assert.ok(v(a) < v(b), `${m}: ${a} ${v(a)} minutes, ${b} ${v(b)}`);
  }
});

Then('in the comparison only {string} has a forecast error', function (pol) {
  const { header, rows } = readCsv(path.join(this.out, 'policy_comparison.csv'));
  const col = (n) => header.indexOf(n);
  for (const r of rows) {
    const mape = r[col('forecast_mape_pct')], wape = r[col('forecast_wape_pct')];
    if (r[col('policy')] === pol) assert.ok(Number(wape) > 0 && Number(mape) > 0, `${r[col('model')]}: ${mape} ${wape}`);
    else assert.equal(mape + wape, '', `${r[col('model')]} ${r[col('policy')]}`);
  }
});

Then('every scale-up in {string} has its replicas ready {int} s after it', function (rel, secs) {
  const { header, rows } = readCsv(path.join(this.out, rel));
  const col = (n) => header.indexOf(n);
  const ups = rows.filter((r) => r[col('reason')] === 'scale_up');
  assert.ok(ups.length > 0, 'no scale-up');
  for (const r of ups) {
    const t = Date.parse(r[col('timestamp')]) / 1000;
    assert.equal(Date.parse(r[col('ready_first')]) / 1000 - t, secs, r.join(','));
    assert.equal(Date.parse(r[col('ready_last')]) / 1000 - t, secs, r.join(','));
  }
});

Then('the first {int} columns of {string} are the file {string}', function (n, rel, other) {
  const cut = fs.readFileSync(path.join(this.out, rel), 'utf8').split('\n')
    .map((l) => (l === '' ? l : l.split(',').slice(0, n).join(',')));
  const want = fs.readFileSync(path.join(this.out, other), 'utf8').split('\n');
  assert.ok(want.length > 2, 'no events');
  assert.deepEqual(cut, want);
});

Then('some scale-up in {string} has replicas ready at different times', function (rel) {
  const { header, rows } = readCsv(path.join(this.out, rel));
  const col = (n) => header.indexOf(n);
  assert.ok(rows.some((r) => r[col('reason')] === 'scale_up' && r[col('ready_first')] !== r[col('ready_last')]));
});

Then('the KPIs of pool {string} in {string} are its winner in {string}', function (model, runRel, adviceRel) {
  const r = rowsOf(path.join(this.work, runRel)).find((x) => x.model === model);
  const w = rowsOf(path.resolve(this.work, expand(this, adviceRel))).find((x) => x.model === model && x.winner === '1');
  assert.ok(r && w, `${model}: no run row or no winner`);
  for (const k of ['cost_per_month', 'scale_events', 'violation_minutes'])
    assert.equal(r[k], w[k], `${model} ${k}`);
  assert.equal(r.avg_util_pct, w.avg_util_pct, `${model} avg_util_pct`);
});
