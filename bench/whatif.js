// whatif.js — times the report's what-if: one pool simulated again by the
// WebAssembly module inside report.html, in Debian's chromium (headless),
// against the same call built natively (build/bench/bench_whatif) on the
// same pool, demand and settings. Prints a markdown table of medians.
//
//   node bench/whatif.js REPORT.html MODEL [REPS]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const puppeteer = require('puppeteer-core');

const [report, model, repsArg] = process.argv.slice(2);
const REPS = Number(repsArg || 21);
const ROOT = path.resolve(__dirname, '..');
const POLICIES = [['threshold', {}], ['hpa', { policy: 'hpa' }], ['kpa', { policy: 'kpa' }]];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

(async () => {
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const page = await browser.newPage();
  await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const pool = await page.evaluate((m) => window.tapscale.data.pools.find((p) => p.model === m), model);
  if (!pool || !pool.whatif) throw new Error(`no what-if for ${model}`);
  await page.waitForSelector(`#pool-${pool.id} .whatif[data-ready="1"]`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatif-'));
  fs.writeFileSync(path.join(dir, 'policy.yaml'), pool.whatif.policy);
  fs.writeFileSync(path.join(dir, 'rate.f64'), Buffer.from(pool.whatif.rate, 'base64'));
  console.log(`| policy | steps | chromium wasm median ms | slowest ms | native median ms | wasm / native |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  for (const [name, changes] of POLICIES) {
    const runs = await page.evaluate((id, ch, reps) => {
      const out = [];
      for (let i = 0; i < reps; i++) out.push(window.tapscale.whatif[id].run(ch));
      return out.map((r) => ({ ms: r.ms, steps: r.steps, events: r.scale_events }));
    }, pool.id, changes, REPS);
    const lines = Object.entries(changes).map(([k, v]) => `${k}=${v}`).join('\n');
    const r = spawnSync(path.join(ROOT, 'build', 'bench', 'bench_whatif'),
      [path.join(dir, 'policy.yaml'), path.join(dir, 'rate.f64'), pool.whatif.pool.join(','), lines, String(REPS)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const nat = Object.fromEntries(r.stdout.trim().split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
    if (nat.steps !== runs[0].steps || nat.events !== runs[0].events) throw new Error(`MISMATCH ${name}: ${JSON.stringify(nat)} ${JSON.stringify(runs[0])}`);
    const w = median(runs.map((x) => x.ms));
    console.log(`| ${name} | ${runs[0].steps} | ${w.toFixed(1)} | ${Math.max(...runs.map((x) => x.ms)).toFixed(1)} | ${nat.median_ms.toFixed(1)} | ${(w / nat.median_ms).toFixed(2)} |`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
