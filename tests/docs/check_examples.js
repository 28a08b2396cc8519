#!/usr/bin/env node
// check_examples.js — runs every example of README.md and docs/*.md.
//
//   node tests/docs/check_examples.js BUILD_DIR
//
// Every fenced block of the pages is one case, and says what it is on the
// line before its fence, as an HTML comment the page does not show:
//
//   (a block whose first line starts with "$ ")
//                         a transcript: each "$ command" is run and the
//                         lines shown after it must appear in its output
//                         (stdout and stderr as written), in order; "..." stands
//                         for lines left out
//   <!-- example: output of `CMD` -->
//                         the block is (part of) CMD's output, as above
//   <!-- example: run -->  the block is a shell script that must succeed
//   <!-- example: usage of CMD1, CMD2 -->
//                         the block is the usage lines of `tapscale CMD
//                         --help` for each command, "Usage: " left out
//   <!-- example: FILE in a copy of DIR, then `CMD` -->
//                         the block is written to FILE of a copy of the
//                         inputs folder DIR (named INPUTS in CMD), then
//                         CMD must succeed
//   <!-- example: python -->   the block runs with the Python binding
//   <!-- example: C -->    the block is the body of main(), built against
//                         the library and run
//   <!-- example: excerpt of PATH -->
//                         the block's lines appear in PATH, in order
//   <!-- not an example: WHY -->
//                         a formula, a diagram or a layout: nothing to run
//
// A block without such a line fails: a new example is run from the day it
// is written. Commands run in a scratch folder holding links to build/,
// examples/, tests/, scripts/ and python/, so paths in the pages work and
// their outputs land in the scratch. Ends with "N passed, N failed".
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD = path.resolve(process.argv[2] || path.join(ROOT, 'build'));
const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort()
  .map((f) => path.join('docs', f))];

let passed = 0;
let failed = 0;

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapscale-docs-'));
  for (const d of ['examples', 'tests', 'scripts', 'python', 'docs', 'include'])
    fs.symlinkSync(path.join(ROOT, d), path.join(dir, d));
  fs.symlinkSync(BUILD, path.join(dir, 'build'));
  return dir;
}

// python3 is Debian's (/usr/bin first): the one the binding is built for
const ENV = { ...process.env, PYTHONPATH: path.join(BUILD, 'python'), LC_ALL: 'C',
  PATH: '/usr/bin:' + (process.env.PATH || '') };

// A command's result, kept: pages show one command's output in several
// blocks, and one tapscale command on the repository's folders gives the
// same output every time.
const seen = new Map();
function sh(cmd, cwd) {
  if (seen.has(cmd)) return seen.get(cmd);
  // stderr into stdout, in the order written, as a terminal shows them
  const r = spawnSync('bash', ['-c', `{ ${cmd}\n} 2>&1`], { cwd, encoding: 'utf8', env: ENV, maxBuffer: 1 << 28 });
  const res = { status: r.status, out: r.stdout || '', stdout: r.stdout || '' };
  if (/^build\/tapscale [^;&|]*$/.test(cmd) && !cmd.includes('inputs/')) seen.set(cmd, res);
  return res;
}

// The lines shown must appear in the output in order ("..." skips).
function shownIn(shown, output) {
  const have = output.split('\n').map((l) => l.replace(/\s+$/, ''));
  let at = 0;
  for (const line of shown) {
    const want = line.replace(/\s+$/, '');
    if (want === '...' || want === '') continue;
    const k = have.indexOf(want, at);
    if (k < 0) return `not in the output (in order): ${want}`;
    at = k + 1;
  }
  return '';
}

// Each case returns '' when it holds, else what is wrong.
const KINDS = [
  [/^output of `(.+)`$/, (m, body, cwd) => {
    const r = sh(m[1], cwd);
    return shownIn(body, r.out) || (r.status > 2 ? `${m[1]} exited ${r.status}` : '');
  }],
  [/^run$/, (m, body, cwd) => {
    const r = sh(body.join('\n'), cwd);
    return r.status === 0 ? '' : `exit ${r.status}:\n${r.out.slice(-2000)}`;
  }],
  [/^usage of (.+)$/, (m, body, cwd) => {
    const want = [];
    for (const c of m[1].split(/,\s*/)) {
      const r = sh(`build/tapscale ${c === 'tapscale' ? '' : c} --help`, cwd);
      const lines = r.stdout.split('\n');
      const first = lines.findIndex((l) => l.startsWith('Usage: '));
      if (first < 0) return `no usage line in tapscale ${c} --help`;
      for (let i = first; i < lines.length && lines[i] !== ''; i++)
        want.push(i === first ? lines[i].slice(7) : lines[i].slice(7));
    }
    const got = body.map((l) => l.replace(/\s+$/, ''));
    for (let i = 0; i < Math.max(want.length, got.length); i++)
      if (want[i] !== got[i]) return `line ${i + 1}: the page has\n  ${got[i]}\nbut --help has\n  ${want[i]}`;
    return '';
  }],
  [/^(\S+) in a copy of (\S+), then `(.+)`$/, (m, body, cwd) => {
    const inputs = path.join(cwd, 'inputs');
    fs.cpSync(path.join(ROOT, m[2]), inputs, { recursive: true });
    fs.mkdirSync(path.dirname(path.join(inputs, m[1])), { recursive: true });
    fs.writeFileSync(path.join(inputs, m[1]), body.join('\n') + '\n');
    const r = sh(m[3].replace(/INPUTS/g, inputs), cwd);
    return r.status === 0 ? '' : `${m[3]} exited ${r.status}:\n${r.out.slice(-2000)}`;
  }],
  [/^python$/, (m, body, cwd) => {
    const r = spawnSync('/usr/bin/python3', ['-c', body.join('\n')], { cwd, encoding: 'utf8', env: ENV });
    return r.status === 0 ? '' : `python exited ${r.status}:\n${(r.stderr || '').slice(-2000)}`;
  }],
  [/^C$/, (m, body, cwd) => {
    const src = path.join(cwd, 'example.c');
    fs.writeFileSync(src, '#include <stdio.h>\n' + body.filter((l) => l.startsWith('#include')).join('\n') +
      '\nint main(void)\n{\n' + body.filter((l) => !l.startsWith('#include')).join('\n') + '\n    return 0;\n}\n');
    const libs = sh('pkg-config --static --libs yaml-0.1 libcrypto jansson', cwd).stdout.trim();
    const cc = sh(`cc -std=c11 -Wall -Werror -Wno-unused-variable -Wno-unused-but-set-variable -Iinclude -o example ` +
      `example.c build/libtapscale.a ${libs} -lcsv -ldouble-conversion -lstdc++ -lm -lpthread`, cwd);
    if (cc.status !== 0) return `the example does not build:\n${cc.out}`;
    const r = sh('./example', cwd);
    return r.status === 0 ? '' : `the example exited ${r.status}:\n${r.out}`;
  }],
  [/^excerpt of (\S+)$/, (m, body) => {
    const norm = (l) => l.trim().replace(/\s+/g, ' ');
    return shownIn(body.map(norm), fs.readFileSync(path.join(ROOT, m[1]), 'utf8').split('\n').map(norm).join('\n'));
  }],
];

function transcript(body, cwd) {
  let i = 0;
  while (i < body.length) {
    const cmd = body[i].slice(2);
    const shown = [];
    for (i++; i < body.length && !body[i].startsWith('$ '); i++) shown.push(body[i]);
    const r = sh(cmd, cwd);
    if (r.status > 2) return `${cmd} exited ${r.status}:\n${r.out}`;
    const miss = shownIn(shown, r.out);
    if (miss) return `${cmd}: ${miss}`;
  }
  return '';
}

function check(page, line, marker, body, quiet) {
  const name = `${page}:${line}`;
  let problem;
  const cwd = scratch();
  try {
    if (body.length && body[0].startsWith('$ ')) problem = transcript(body, cwd);
    else if (marker === null) problem = 'no <!-- example: ... --> or <!-- not an example: ... --> line before the block';
    else if (marker.startsWith('not an example:')) problem = marker.length > 'not an example:'.length + 2 ? '' : 'say why it is not';
    else {
      const spec = marker.replace(/^example:\s*/, '');
      const kind = KINDS.find(([re]) => re.test(spec));
      problem = kind ? kind[1](spec.match(kind[0]), body, cwd) : `unknown example kind: ${spec}`;
    }
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
  if (problem) failed++;
  else passed++;
  if (!quiet)
    console.log(problem ? `docs ${name}: 0 passed, 1 failed\n  ${problem.split('\n').join('\n  ')}` : `docs ${name}: 1 passed, 0 failed`);
}

// Checks each block of the pages (paths relative to base); returns
// [passed, failed].
function checkPages(pages, base, quiet) {
  const before = [passed, failed];
  for (const page of pages) {
    const lines = fs.readFileSync(path.join(base, page), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('```')) continue;
      let j = i - 1;
      while (j >= 0 && lines[j].trim() === '') j--;
      const mk = j >= 0 ? lines[j].match(/^<!--\s*((?:example|not an example):.*?)\s*-->$/) : null;
      const start = i;
      const body = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      check(page, start + 1, mk ? mk[1] : null, body, quiet);
    }
  }
  const got = [passed - before[0], failed - before[1]];
  passed = before[0];
  failed = before[1];
  return got;
}

// A page of planted mistakes, each of which must fail: the check sees
// what it is meant to see.
const PLANTED = [
  '```', 'a block that says nothing of itself', '```',
  '<!-- example: output of `build/tapscale --version` -->', '```', 'tapscale 0.0.0-not-this-one', '```',
  '```', '$ build/tapscale plan --inputs examples/origin --out out', 'no such line', '```',
  '<!-- example: usage of tune -->', '```', 'tapscale tune [--an option it does not have]', '```',
  '<!-- example: C -->', '```c', 'int x = ;', '```',
  '<!-- example: excerpt of src/policy/threshold.c -->', '```c', '{.name = "no_such_key"},', '```',
  '<!-- example: simulation.yaml in a copy of examples/origin, then `build/tapscale run --inputs INPUTS --out out` -->',
  '```yaml', 'acceptance:', '  p95_util: sometimes', '```',
];
const plantedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapscale-docs-planted-'));
fs.writeFileSync(path.join(plantedDir, 'planted.md'), PLANTED.join('\n') + '\n');
const [pp, pf] = checkPages(['planted.md'], plantedDir, true);
fs.rmSync(plantedDir, { recursive: true, force: true });
const caught = pp === 0 && pf === 7;
console.log(`docs planted-mistakes-are-caught: ${caught ? 1 : 0} passed, ${caught ? 0 : 1} failed` +
  (caught ? '' : ` (${pf} of 7 planted mistakes failed)`));
if (caught) passed++;
else failed++;

const [p, f] = checkPages(PAGES, ROOT, false);
passed += p;
failed += f;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
