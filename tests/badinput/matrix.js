// The bad-input matrix: every bound of every settings table (read from
// `tapscale settings`, the same rows the README shows) and every class of
// bad input tapscale guards against, each through the CLI: exit 2, the
// exact message, and the output folder exactly as it was.
//   node tests/badinput/matrix.js [BIN]
// Ends with "N passed, N failed".
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(process.argv[2] || path.join(ROOT, 'build', 'tapscale'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tapscale-matrix-'));
let passed = 0;
let failed = 0;

function snapshot(dir) {
  if (!fs.existsSync(dir)) return 'absent';
  return fs.readdirSync(dir).sort().map((n) => {
    const p = path.join(dir, n);
    return n + ':' + crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }).join('\n');
}

// A fresh copy of the hand fixture with an earlier complete output.
function fresh(name) {
  const dir = path.join(work, name);
  fs.cpSync(path.join(ROOT, 'tests', 'fixtures', 'hand'), path.join(dir, 'inputs'), { recursive: true });
  const r = spawnSync(BIN, ['plan', '--inputs', path.join(dir, 'inputs'), '--out', path.join(dir, 'out'), '--quiet']);
  if (r.status !== 0) throw new Error(`setup of ${name} failed: ${r.stderr}`);
  return dir;
}

function check(name, dir, args, want) {
  const out = path.join(dir, 'out');
  const before = snapshot(out);
  const r = spawnSync(BIN, args.map((a) => a.replaceAll('INPUTS', path.join(dir, 'inputs')).replaceAll('OUT', out)),
    { encoding: 'utf8', cwd: dir, timeout: 60000 });
  const problems = [];
  if (r.status !== 2) problems.push(`exit ${r.status}, expected 2`);
  // every line wanted (all the errors of a run are reported, not the first)
  for (const w of Array.isArray(want) ? want : [want]) {
    const expected = w.replaceAll('INPUTS', path.join(dir, 'inputs')).replaceAll('OUT', out);
    if (!r.stderr.split('\n').includes(expected)) problems.push(`no line\n    ${expected}\n  in stderr:\n${r.stderr}`);
  }
  if (snapshot(out) !== before) problems.push('the output folder changed');
  if (problems.length) {
    failed++;
    console.log(`FAIL ${name}: ${problems.join('; ')}`);
  } else {
    passed++;
  }
}

// ---- every bound of every settings table
const settings = spawnSync(BIN, ['settings'], { encoding: 'utf8' }).stdout;
const base = fresh('bounds');
let section = null;
const outOfBounds = [];
for (const line of settings.split('\n')) {
  const s = line.match(/^`([a-z_.]+):`$/);
  if (s) { section = s[1]; continue; }
  const m = line.match(/^\| `([^`]+)` \| ([^|]+) \|/);
  if (!m || !section || m[1].includes('[]')) continue;
  const key = `${section}.${m[1]}`;
  const text = m[2].trim();
  let b;
  const values = [];
  if ((b = text.match(/^an? (?:integer |)(?:number |integer number )?(?:of seconds )?from (-?[\d.]+) to (-?[\d.]+)$/))) {
    values.push(String(Number(b[1]) - 1), String(Number(b[2]) + 1));
  } else if ((b = text.match(/^a number above ([\d.]+) and at most ([\d.]+)$/))) {
    values.push(b[1], String(Number(b[2]) + 1));
  } else if ((b = text.match(/^a number above ([\d.]+) and below /))) {
    values.push(b[1]);
  } else if ((b = text.match(/^a fraction from 0 to below 1$/))) {
    values.push('-1', '1');
  } else if ((b = text.match(/^an integer from (\d+) to [a-z_]+$/))) {
    values.push(String(Number(b[1]) - 1));
  } else if (/^(\w+, )*\w+ or \w+$/.test(text)) {
    values.push('sometimes');
  }
  for (const v of values) outOfBounds.push({ key, v, text });
}
if (outOfBounds.length < 60) { failed++; console.log(`FAIL: only ${outOfBounds.length} bounds found in tapscale settings`); }
for (const { key, v, text } of outOfBounds) {
  check(`${key}=${v}`, base, ['plan', '--inputs', 'INPUTS', '--out', 'OUT', '--set', `${key}=${v}`],
    `tapscale: --set: ${key} is ${v} (expected ${text})`);
}

// ---- every class of bad input
function withFiles(name, files, args, want) {
  const dir = fresh(name);
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, 'inputs', rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (content === 'FIFO') spawnSync('mkfifo', [p]);
    else fs.writeFileSync(p, content);
  }
  check(name, dir, args, want);
}
const plan = ['plan', '--inputs', 'INPUTS', '--out', 'OUT'];
const demand = (extra) => `start: 2025-01-01T00:00:00Z\nhorizon_hours: 24\n${extra}`;
const series = 'timestamp,model,demand_tokens_per_hour\n';
withFiles('series outside', { 'operator/demand.yaml': demand('series: [../../../../etc/shadow]\n') }, plan,
  'tapscale: INPUTS/operator/demand.yaml:3:10: series ../../../../etc/shadow leads outside the inputs folder (expected a path inside it, relative to demand.yaml; --allow-outside-inputs permits others)');
withFiles('series absolute', { 'operator/demand.yaml': demand('series: [/dev/zero]\n') }, plan,
  'tapscale: INPUTS/operator/demand.yaml:3:10: series /dev/zero leads outside the inputs folder (expected a path inside it, relative to demand.yaml; --allow-outside-inputs permits others)');
withFiles('series FIFO', { 'operator/demand.yaml': demand('series: [f.csv]\n'), 'operator/f.csv': 'FIFO' }, plan,
  'tapscale: INPUTS/operator/f.csv: cannot read: not a regular file (expected a readable file)');
withFiles('NUL bytes', { 'facts/tps_model_gpu.csv': 'model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\nm1,H100,1,32,2500,aggregate\n\0\0' }, plan,
  'tapscale: INPUTS/facts/tps_model_gpu.csv:3:1: a NUL byte (expected a text file)');
withFiles('header-only series', { 'operator/demand.yaml': demand('series: [s.csv]\n'), 'operator/s.csv': series }, plan,
  'tapscale: INPUTS/operator/s.csv:1:1: the file has a header and no rows (expected at least two rows per model)');
withFiles('1e308 tokens', { 'operator/demand.yaml': demand('models:\n  m1:\n    tokens_per_month: 1e308\n') }, plan,
  'tapscale: INPUTS/operator/demand.yaml:5:23: models.m1.tokens_per_month is 1e308 (expected a number of tokens from 0 to 1e+18)');
withFiles('control character in an id', { 'operator/demand.yaml': demand('models:\n  "m\\n1":\n    tokens_per_month: 1e9\n') }, plan,
  'tapscale: INPUTS/operator/demand.yaml:4:3: model id has the control character 0x0A at byte 2 (expected printable characters)');
withFiles('a 2 MiB field', { 'operator/demand.yaml': demand('series: [s.csv]\n'), 'operator/s.csv': series + 'x'.repeat(2 << 20) + ',m1,1\n' }, plan,
  'tapscale: INPUTS/operator/s.csv:2:1: a field longer than 1 MiB (expected CSV fields of at most 1048576 bytes)');
withFiles('a foreign file in the output folder', {}, ['plan', '--inputs', 'INPUTS', '--out', 'INPUTS'],
  'tapscale: INPUTS/operator: was not written by tapscale, which replaces its output folder whole and never removes other files (expected an empty folder, a new path or the folder of an earlier run: move the file away or choose another --out)');
withFiles('timeline names collide', {
  'operator/demand.yaml': demand('models:\n  org/m1:\n    tokens_per_month: 1e9\n  org_m1:\n    tokens_per_month: 1e9\n'),
  'facts/tps_model_gpu.csv': 'model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\norg/m1,H100,1,32,2500,aggregate\norg_m1,H100,1,32,2500,aggregate\n',
}, ['run', '--inputs', 'INPUTS', '--out', 'OUT', '--timeline'],
  "tapscale: INPUTS/operator/demand.yaml:6:3: model org/m1 and model org_m1 would both write timeline_org_m1.csv with --timeline (expected ids that differ in a letter, digit, '.' or '-')");
for (const [opt, v, exp] of [['--threads', '-1', 'a whole number from 0 to 1024'], ['--seed', 'abc', 'a whole number from 0 to 18446744073709551615'],
  ['--tolerance', 'nan', 'a finite number of at least 0'], ['--tolerance', 'inf', 'a finite number of at least 0']]) {
  withFiles(`${opt} ${v}`, {}, ['run', '--inputs', 'INPUTS', '--out', 'OUT', opt, v], `tapscale: option '${opt}' is '${v}' (expected ${exp})`);
}
withFiles('--scale inf', {}, ['trace', '--format', 'azure', '--scale', 'inf', '--out', 'OUT/t.csv', 'x'],
  "tapscale: option '--scale' is 'inf' (expected a finite number above 0)");


// ---- latency profiles (facts/latency_profiles.yaml and the files it names)
const profiles = (files, extra = '') => `profiles:\n  - model: m1\n    gpu: H100\n${extra}    files: [${files}]\n`;
const csvHead = 'concurrency,output_tokens_per_s,ttft_p95_ms,itl_p95_ms\n';
withFiles('profile not JSON', { 'facts/latency_profiles.yaml': profiles('p.json'), 'facts/p.json': '{"output_throughput": 5,' }, plan,
  'tapscale: INPUTS/facts/p.json:1:24: not JSON: string or \'}\' expected near end of file (expected the JSON result of vllm bench serve --save-result or a GuideLLM report)');
withFiles('profile of no tool', { 'facts/latency_profiles.yaml': profiles('p.json'), 'facts/p.json': '{"ttft": 5}' }, plan,
  'tapscale: INPUTS/facts/p.json:1:1: neither a vLLM benchmark result (output_throughput, median_ttft_ms, ...) nor a GuideLLM report (benchmarks: [...]) (expected one of those, or a CSV profile)');
withFiles('profile cell', { 'facts/latency_profiles.yaml': profiles('p.csv'), 'facts/p.csv': csvHead + '8,900,fast,20\n' }, plan,
  'tapscale: INPUTS/facts/p.csv:2:7: ttft_p95_ms is "fast" (expected a number of 0 or more, or an empty cell)');
withFiles('profile column', { 'facts/latency_profiles.yaml': profiles('p.csv'), 'facts/p.csv': 'concurrency,output_tps,ttft_p95_ms\n8,900,50\n' }, plan,
  'tapscale: INPUTS/facts/p.csv:1:1: missing column output_tokens_per_s (expected a header with output_tokens_per_s and ttft_p95_ms, itl_p95_ms, ... as docs/inputs.md shows)');
withFiles('profile of no candidate', { 'facts/latency_profiles.yaml': profiles('p.csv', '    gpu_count: 2\n'), 'facts/p.csv': csvHead + '8,900,50,20\n' }, plan,
  'tapscale: INPUTS/facts/latency_profiles.yaml:2:5: the profile of m1 on H100 x2 matches no throughput row (expected a model, gpu and gpu_count of facts/tps_model_gpu.csv)');
withFiles('profile outside', { 'facts/latency_profiles.yaml': profiles('../../../etc/passwd') }, plan,
  'tapscale: INPUTS/facts/latency_profiles.yaml:4:13: a files entry is not a file inside the inputs folder (expected a path relative to latency_profiles.yaml)');
withFiles('SLO no load meets', { 'facts/latency_profiles.yaml': profiles('p.csv'), 'facts/p.csv': csvHead + '8,900,50,20\n32,1800,180,25\n' },
  [...plan, '--set', 'slo.ttft_p95_ms=10'],
  'tapscale: INPUTS/facts/latency_profiles.yaml:2:5: no load of the profile of m1 on H100 meets the SLO (expected an slo: its lowest load meets; at 900 output tokens/s it measured TTFT p95 50 ms, ITL p95 20 ms)');

// ---- manifests, the files a user deploys and tapscale reads back
const manifest = (kind, api, spec) => `apiVersion: ${api}\nkind: ${kind}\nmetadata: {name: x}\n${spec}`;
const withManifest = (name, text, want) =>
  withFiles(name, { 'm.yaml': text }, [...plan, '--manifest', 'INPUTS/m.yaml'], want);
withManifest('manifest: both bounds out of range', manifest('ScaledObject', 'keda.sh/v1alpha1',
  'spec:\n  scaleTargetRef: {name: m1}\n  minReplicaCount: -3\n  maxReplicaCount: 2000000000\n'), [
  'tapscale: INPUTS/m.yaml:6:20: spec.minReplicaCount is -3 (expected an integer from 0 to 1000000000)',
  'tapscale: INPUTS/m.yaml:7:20: spec.maxReplicaCount is 2000000000 (expected an integer from 1 to 1000000000)']);
withManifest('manifest: min above max', manifest('HorizontalPodAutoscaler', 'autoscaling/v2',
  'spec:\n  scaleTargetRef: {name: m1}\n  minReplicas: 5\n  maxReplicas: 3\n'),
  'tapscale: INPUTS/m.yaml:6:16: spec.minReplicas is 5, above maxReplicas 3 (expected min <= max)');
withManifest('manifest: vLLM metric without a target', manifest('HorizontalPodAutoscaler', 'autoscaling/v2',
  'spec:\n  scaleTargetRef: {name: m1}\n  maxReplicas: 3\n  metrics:\n    - type: Pods\n      pods:\n        metric: {name: vllm:num_requests_waiting}\n'),
  'tapscale: INPUTS/m.yaml:8:7: the metric vllm:num_requests_waiting has no target (expected target.averageValue: the waiting requests, or the KV fraction, per pod)');
withManifest('manifest: vLLM metric target not a quantity', manifest('ScaledObject', 'keda.sh/v1alpha1',
  'spec:\n  scaleTargetRef: {name: m1}\n  triggers:\n    - type: prometheus\n      metadata: {query: "sum(vllm:num_requests_waiting)", threshold: "five"}\n'),
  'tapscale: INPUTS/m.yaml:8:70: metadata.threshold is five (expected a quantity above 0 per pod, such as 5, 0.8 or 500m)');
withManifest('manifest: wrong apiVersion', manifest('ScaledObject', 'autoscaling/v1', ''),
  'tapscale: INPUTS/m.yaml:1:13: apiVersion of the ScaledObject is autoscaling/v1 (expected keda.sh/v1alpha1)');
withManifest('manifest: no workload', manifest('HorizontalPodAutoscaler', 'autoscaling/v2', 'spec:\n  maxReplicas: 3\n'),
  'tapscale: INPUTS/m.yaml:1:1: the HorizontalPodAutoscaler names no workload (expected spec.scaleTargetRef.name)');
withManifest('manifest: a workload of no model', manifest('HorizontalPodAutoscaler', 'autoscaling/v2',
  'spec:\n  scaleTargetRef: {name: nosuchmodel}\n  maxReplicas: 3\n'),
  'tapscale: INPUTS/m.yaml:1:1: the HorizontalPodAutoscaler scales nosuchmodel, the workload of no model (expected deployment: nosuchmodel under a model of demand.yaml; the models\' workloads: m1, m2)');
withManifest('manifest: duplicate keys at any depth', manifest('HorizontalPodAutoscaler', 'autoscaling/v2',
  'spec:\n  scaleTargetRef: {name: m1}\n  maxReplicas: 3\n  maxReplicas: 5\n  behavior:\n    scaleUp:\n' +
  '      policies: [{type: Pods, value: 1, periodSeconds: 15, value: 2}]\n'), [
  'tapscale: INPUTS/m.yaml:7:3: duplicate key spec.maxReplicas (expected each key once)',
  'tapscale: INPUTS/m.yaml:10:60: duplicate key spec.behavior.scaleUp.policies[0].value (expected each key once)']);
withManifest('manifest: a behavior policy out of range', manifest('HorizontalPodAutoscaler', 'autoscaling/v2',
  'spec:\n  scaleTargetRef: {name: m1}\n  maxReplicas: 3\n  behavior:\n    scaleDown:\n' +
  '      policies: [{type: Percent, value: 0, periodSeconds: 1801}]\n'), [
  'tapscale: INPUTS/m.yaml:9:41: spec.behavior.scaleDown.policies[0].value is 0 (expected an integer from 1 to 1000000)',
  'tapscale: INPUTS/m.yaml:9:59: spec.behavior.scaleDown.policies[0].periodSeconds is 1801 (expected an integer from 1 to 1800)']);
withManifest('manifest: invalid YAML', 'a: [\n',
  'tapscale: INPUTS/m.yaml:2:1: invalid YAML: did not find expected node content while parsing a flow node (expected valid YAML)');
withFiles('manifest: missing file', {}, [...plan, '--manifest', 'INPUTS/none.yaml'],
  'tapscale: INPUTS/none.yaml: cannot read: No such file or directory (expected a readable file)');
const tap = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'hand', 'operator', 'public_tap.yaml'), 'utf8');
withFiles('manifests list outside the inputs', { 'operator/public_tap.yaml': tap + 'manifests: [../../x.yaml]\n' }, plan,
  'tapscale: INPUTS/operator/public_tap.yaml:19:13: manifest ../../x.yaml leads outside the inputs folder (expected a path inside it, relative to public_tap.yaml; --allow-outside-inputs permits others)');
withFiles('a section twice', { 'operator/public_tap.yaml': tap + 'autoscaling:\n  cooldown_s: 60\n' }, plan,
  'tapscale: INPUTS/operator/public_tap.yaml:19:1: duplicate key autoscaling (expected each key once)');

// ---- the other files a command reads: a tune space, a compare variant
withFiles('tune space: a value out of range', { 's.yaml': 'cooldown_s: [60, -5]\n' },
  ['tune', '--inputs', 'INPUTS', '--out', 'OUT', '--space', 'INPUTS/s.yaml'],
  'tapscale: INPUTS/s.yaml:1:13: autoscaling.cooldown_s is -5 (expected an integer number of seconds from 0 to 3153600000)');
withFiles('tune space: missing file', {}, ['tune', '--inputs', 'INPUTS', '--out', 'OUT', '--space', 'INPUTS/none.yaml'],
  'tapscale: INPUTS/none.yaml: cannot read: No such file or directory (expected a readable file)');
withFiles('compare variant: a misspelt key', { 'v.yaml': 'autoscaling:\n  cooldwn_s: 5\n' },
  ['compare', '--inputs', 'INPUTS', '--out', 'OUT', '--variant', 'a=INPUTS/v.yaml'],
  'tapscale: INPUTS/v.yaml:2:3: unknown key autoscaling.cooldwn_s (did you mean autoscaling.cooldown_s? expected one of: target_utilization_pct, peak_factor, min_instances_per_model, max_instances_per_model, evaluation_interval_s, scale_up_threshold_pct, scale_down_threshold_pct, scale_up_step_replicas, scale_down_step_replicas, stabilization_window_s, warmup_s, cooldown_s, warmup_p95_factor, weights_load_gb_per_s, container_start_s, capacity_peak_percentile, policy, hpa, kpa, predictive, schedule)');
withFiles('trace: a header of another format', { 't.csv': 'timestamp,input_tokens,output_tokens\nxx,1,2\n' },
  ['trace', '--format', 'azure', '--model', 'm1', '--out', 'OUT/t.csv', 'INPUTS/t.csv'], [
  'tapscale: INPUTS/t.csv:1:1: missing column TIMESTAMP (did you mean timestamp? expected the header TIMESTAMP,ContextTokens,GeneratedTokens)',
  'tapscale: INPUTS/t.csv:1:1: missing column GeneratedTokens (expected the header TIMESTAMP,ContextTokens,GeneratedTokens)']);

// ---- advise: its options, a bad input and a schedule tapscale cannot hold
const advise = ['advise', '--inputs', 'INPUTS', '--out', 'OUT', '--budget', '20'];
for (const [opt, v, msg] of [
  ['--export', 'foo', "option '--export' is foo (expected hpa or keda)"],
  ['--policies', 'nosuch', "option '--policies' names 'nosuch' (expected threshold, hpa, kpa, predictive or schedule)"],
  ['--minimize', 'events', "option '--minimize' is events (expected cost or gpu_hours)"],
  ['--max-violation-minutes', '-1', "option '--max-violation-minutes' is '-1' (expected a finite number of at least 0)"]]) {
  withFiles(`advise ${opt} ${v}`, {}, [...advise, opt, v], `tapscale: ${msg}`);
}
withFiles('advise: a bad input file', { 'operator/demand.yaml': 'models:\n  m1: {tokens_per_month: -1}\n' }, advise,
  'tapscale: INPUTS/operator/demand.yaml:2:26: models.m1.tokens_per_month is -1 (expected a number of tokens from 0 to 1e+18)');
withFiles('schedule: windows out of range', {},
  [...plan, '--set', 'autoscaling.schedule.windows=[{days: someday, from_hour: 25, to_hour: 3, replicas: 2}]'], [
  'tapscale: --set: autoscaling.schedule.windows[0].days is someday (expected daily, weekdays, weekends, sun, mon, tue, wed, thu, fri or sat)',
  'tapscale: --set: autoscaling.schedule.windows[0].from_hour is 25 (expected an integer from 0 to 23)']);
withFiles('schedule: a window that closes before it opens', {},
  [...plan, '--set', 'autoscaling.schedule.windows=[{days: mon, from_hour: 9, to_hour: 8, replicas: 2}]'],
  'tapscale: --set: autoscaling.schedule.windows[0].to_hour is 8, not after from_hour 9 (expected a window that closes after it opens)');
withManifest('manifest: cron triggers tapscale cannot hold', manifest('ScaledObject', 'keda.sh/v1alpha1',
  'spec:\n  scaleTargetRef: {name: m1}\n  triggers:\n' +
  '    - {type: cron, metadata: {start: "0 8 1 * *", end: "30 20 * * *", desiredReplicas: "3"}}\n'), [
  'tapscale: INPUTS/m.yaml:7:38: spec.triggers[0].metadata.start is 0 8 1 * * (expected a cron time "M H * * DAYS": minute 0-59, hour 0-23, any day of the month and month, days * or a list such as 1-5 or sat,sun)',
  "tapscale: INPUTS/m.yaml:7:56: spec.triggers[0].metadata.end is 30 20 * * * (expected a time on the hour: tapscale's windows close on the hour)"]);

withFiles('facts: a column a letter off', { 'facts/tps_model_gpu.csv': 'model_id,gpu,gpu_count,throughput_token_per_sec,measurement_type\nm1,H100,1,2500,aggregate\n' }, plan,
  'tapscale: INPUTS/facts/tps_model_gpu.csv:1:1: missing column throughput_tokens_per_sec (did you mean throughput_token_per_sec? expected a header with model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type)');
withFiles('series: a column a letter off', { 'operator/demand.yaml': demand('series: [s.csv]\n'), 'operator/s.csv': 'timestamp,model,demand_tokens_per_hr\n' }, plan,
  'tapscale: INPUTS/operator/s.csv:1:1: missing column demand_tokens_per_hour (did you mean demand_tokens_per_hr? expected the header timestamp,model,demand_tokens_per_hour)');
withFiles('demand.yaml: a top-level key a letter off', { 'operator/demand.yaml': 'horizn_hours: 24\nmodels:\n  m1: {tokens_per_month: 1e9}\n' }, plan,
  'tapscale: INPUTS/operator/demand.yaml:1:1: unknown key demand.horizn_hours (did you mean demand.horizon_hours? expected one of: start, horizon_hours, noise_pct, series, models)');
withFiles('--set: a section a letter off', {}, [...plan, '--set', 'autoscalng.cooldown_s=5'],
  'tapscale: --set: unknown key autoscalng.cooldown_s (did you mean autoscaling.cooldown_s? expected autoscaling.KEY, runtime.KEY, sla.KEY, slo.KEY or meta.seed)');

// ---- every error of a run at once, in three files
withFiles('errors in three files at once', {
  'operator/demand.yaml': 'models:\n  m1: {tokens_per_month: -1}\n',
  'operator/public_tap.yaml': tap.replace('cooldown_s: 120', 'cooldown_s: -1'),
  'facts/tps_model_gpu.csv': 'model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\nm1,H100,x,2500,aggregate\n',
}, plan, [
  'tapscale: INPUTS/operator/public_tap.yaml:15:15: autoscaling.cooldown_s is -1 (expected an integer number of seconds from 0 to 3153600000)',
  'tapscale: INPUTS/operator/demand.yaml:2:26: models.m1.tokens_per_month is -1 (expected a number of tokens from 0 to 1e+18)',
  'tapscale: INPUTS/facts/tps_model_gpu.csv:2:9: gpu_count is "x" (expected an integer of at least 1)']);

fs.rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
