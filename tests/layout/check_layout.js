#!/usr/bin/env node
// The source layout's rules, checked on every test run:
//  1. no include cycle between modules (a module is a .c/.h pair: inputs/demand),
//  2. no cycle between folders either (data flows one way: inputs -> plan ->
//     policy + sim -> accept -> report), and the graph printed as it is,
//  3. the tool (src/cli) includes the public headers and its own files only,
//     and a policy (src/policy) includes of the simulator sim/kernel.h and
//     sim/policy_type.h only,
//  4. no function longer than 100 lines, unless its comment says why (a
//     kernel), and no mutable global outside the fault-injection hook,
//  5. no cycle between folders in the linked library either: a call from
//     one folder's object to a function or table another defines is an
//     edge (from `nm` of the objects of the build folder, argument 1,
//     default build/), so a call against the flow that goes through the
//     public header, where rule 2 cannot see it, fails too; and none in
//     the union of both graphs,
//  6. one error convention: no function returns a negative code (a
//     failure is a ts_status, a lookup's absence TS_NOT_FOUND), no type
//     keeps an out-of-memory flag of its own beside the public collectors'
//     (ts_diags, ts_buf), and arrays grow through ts_grow/ts_reserve only,
//  7. every relative link of README.md and docs/*.md names a file.
// Prints one line per rule and "N passed, N failed".
'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

const files = walk(SRC).filter((f) => /\.(c|cc|h)$/.test(f));
const rel = (f) => path.relative(SRC, f);
const moduleOf = (r) => r.replace(/\.(c|cc|h)$/, '');
const includes = (f) => [...fs.readFileSync(f, 'utf8').matchAll(/^#include "([^"]+)"/gm)].map((m) => m[1]);

let passed = 0;
let failed = 0;
function check(name, problems) {
  if (problems.length === 0) {
    passed++;
    console.log(`layout ${name}: 1 passed, 0 failed`);
  } else {
    failed++;
    console.log(`layout ${name}: 0 passed, 1 failed`);
    for (const p of problems) console.log(`  ${p}`);
  }
}

// Finds the cycles of a graph (Map node -> Set of nodes); returns one path per cycle found.
function cycles(graph) {
  const state = new Map();
  const found = [];
  const stack = [];
  function visit(n) {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) || []) {
      if (state.get(m) === 1) found.push([...stack.slice(stack.indexOf(m)), m].join(' -> '));
      else if (!state.get(m)) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  }
  for (const n of graph.keys()) if (!state.get(n)) visit(n);
  return found;
}

// 1. modules
const modules = new Map();
const folders = new Map();
for (const f of files) {
  const r = rel(f);
  if (r.startsWith('cli/')) continue;
  const m = moduleOf(r);
  const dir = r.split('/')[0];
  if (!modules.has(m)) modules.set(m, new Set());
  if (!folders.has(dir)) folders.set(dir, new Set());
  for (const inc of includes(f)) {
    if (!inc.includes('/')) continue; // the public headers
    const target = moduleOf(inc);
    if (target !== m) modules.get(m).add(target);
    const tdir = inc.split('/')[0];
    if (tdir !== dir) folders.get(dir).add(tdir);
  }
}
check('module-cycles', cycles(modules));

// 2. folders (util is below everything and not drawn)
check('folder-cycles', cycles(folders));
const order = [...folders.keys()].filter((d) => d !== 'util').sort();
for (const d of order) {
  const deps = [...folders.get(d)].filter((t) => t !== 'util').sort();
  console.log(`  ${d} -> ${deps.length ? deps.join(', ') : '(util only)'}`);
}

// 3. the tool is a client of the public headers
const cliProblems = [];
for (const f of files.filter((x) => rel(x).startsWith('cli/'))) {
  for (const inc of includes(f)) {
    const own = fs.existsSync(path.join(SRC, 'cli', inc));
    if (!own && inc !== 'tapscale.h' && inc !== 'tapscale_io.h') cliProblems.push(`${rel(f)} includes "${inc}"`);
  }
}
check('cli-public-api', cliProblems);

// 3b. a policy sees of the simulator its one header for policies
const kernelProblems = [];
for (const f of files.filter((x) => rel(x).startsWith('policy/')))
  for (const inc of includes(f))
    if (inc.startsWith('sim/') && inc !== 'sim/kernel.h' && inc !== 'sim/policy_type.h')
      kernelProblems.push(`${rel(f)} includes "${inc}" (expected "sim/kernel.h" or "sim/policy_type.h")`);
check('policy-sees-sim-kernel-only', kernelProblems);

// 4. function length and globals
const longProblems = [];
const globalProblems = [];
for (const f of files.filter((x) => x.endsWith('.c'))) {
  const lines = fs.readFileSync(f, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '{') {
      let j = i + 1;
      while (j < lines.length && lines[j] !== '}') j++;
      let head = i - 1;
      while (head > 0 && !/^[A-Za-z]/.test(lines[head])) head--;
      const n = j - head + 1;
      // a justified kernel says so in the comment above it or in the file's opening comment
      const before = lines.slice(Math.max(0, head - 12), head).join('\n') + lines.slice(0, 30).join('\n');
      if (n > 100 && !/length .*(kernel|justified)|kernel whose length|is that of a kernel/.test(before))
        longProblems.push(`${rel(f)}:${head + 1}: ${lines[head].slice(0, 60)}... is ${n} lines`);
      i = j;
    }
    // file-scope variables that are not const
    if (/^static\s+(?!const|inline)[A-Za-z_][\w\s\*]*\s+\**\w+(\[[^\]]*\])*\s*(=|;)/.test(lines[i]) &&
        !/\(/.test(lines[i].split('=')[0]) && !rel(f).startsWith('util/alloc.c'))
      globalProblems.push(`${rel(f)}:${i + 1}: ${lines[i].trim()}`);
  }
}
check('function-length', longProblems);
check('no-mutable-globals', globalProblems);

// 6. one error convention: the line rules as functions of a line (and
// of the function it is in), then run on every file and on planted lines
const isComparator = (fn) =>
  /\(const void \*\w+, const void \*\w+\)/.test(fn) || /\b\w*(cmp|rank|compare)\w*\(/.test(fn);
const negativeCode = (line, fn) =>
  !isComparator(fn) && (/\breturn\s+-\s*\d/.test(line) || /\breturn\b[^;]*[,?:]\s*-\d+\s*[;:]/.test(line));
const privateFlag = (line) => /^\s+int\s+(oom|stopped)\s*;/.test(line);
const handGrowth = (line) => /ts_realloc\([^;]*\+\s*1\)/.test(line);
const codeProblems = [];
const flagProblems = [];
const growProblems = [];
for (const f of files) {
  const lines = fs.readFileSync(f, 'utf8').split('\n');
  let fn = '';
  lines.forEach((line, i) => {
    const at = `${rel(f)}:${i + 1}: ${line.trim()}`;
    if (/^[A-Za-z].*\(/.test(line)) fn = line;
    if (negativeCode(line, fn)) codeProblems.push(at);
    if (privateFlag(line)) flagProblems.push(at);
    if (!rel(f).startsWith('util/alloc') && handGrowth(line)) growProblems.push(at);
  });
}
check('no-negative-return-codes', codeProblems);
check('no-private-oom-flags', flagProblems);
check('growth-through-ts_grow', growProblems);
const planted = [
  [negativeCode('        return -1;', 'static int f(void)'), 'return -1'],
  [negativeCode('    return ok ? 0 : -1;', 'int g(int ok)'), 'a ternary -1'],
  [negativeCode('        return r->oom = 1, -1;', 'int h(reader *r)'), 'a comma -1'],
  [!negativeCode('    return a < b ? -1 : 1;', 'static int cmp_x(const void *a, const void *b)'), 'a comparator'],
  [privateFlag('    int oom;'), 'a flag'],
  [handGrowth('    p = ts_realloc(p, (n + 1) * sizeof *p);'), 'growth by one'],
];
check('error-rules-see-planted-lines', planted.filter(([seen]) => !seen).map(([, what]) => `${what} was not seen`));

// 5. the linked graph: folder -> folder for every symbol an object of the
// library uses and another folder's object defines (util is below all)
function linkGraph(buildDir) {
  // the library's objects, and the registry built beside them (the only
  // source of the tapscale target itself: other objects there are stale)
  const bases = ['tapscale_objects.dir', 'tapscale.dir'].map((t) => path.join(buildDir, 'CMakeFiles', t, 'src'));
  const own = (base, dir, o) => base === bases[0] || `${dir}/${o}` === 'policy/registry.c.o';
  if (!fs.existsSync(bases[0])) return { error: `no objects in ${bases[0]} (build the library first)` };
  const defined = new Map();
  const used = new Map();
  for (const base of bases.filter((b) => fs.existsSync(b))) {
    for (const dir of fs.readdirSync(base)) {
      for (const o of fs.readdirSync(path.join(base, dir)).filter((f) => f.endsWith('.o') && own(base, dir, f))) {
        const source = path.join(SRC, dir, o.replace(/\.o$/, ''));
        if (!fs.existsSync(source)) continue; // left by a file that moved
        const out = execFileSync('nm', ['-P', path.join(base, dir, o)], { encoding: 'utf8' });
        for (const line of out.split('\n')) {
          const [sym, type] = line.split(' ');
          if (!type) continue;
          if (type === 'U') {
            if (!used.has(`${dir}/${o}`)) used.set(`${dir}/${o}`, new Set());
            used.get(`${dir}/${o}`).add(sym);
          } else if (/^[TDRBVW]$/.test(type)) defined.set(sym, `${dir}/${o}`);
        }
      }
    }
  }
  const graph = new Map();
  const why = new Map();
  for (const [obj, syms] of used) {
    const from = obj.split('/')[0];
    if (!graph.has(from)) graph.set(from, new Set());
    for (const sym of syms) {
      const def = defined.get(sym);
      if (!def) continue;
      const to = def.split('/')[0];
      if (to === from || to === 'util') continue;
      graph.get(from).add(to);
      if (!why.has(`${from} -> ${to}`)) why.set(`${from} -> ${to}`, `${obj} calls ${sym} (${def})`);
    }
  }
  return { graph, why };
}
const linked = linkGraph(path.resolve(process.argv[2] || path.join(ROOT, 'build')));
if (linked.error) check('link-cycles', [linked.error]);
else {
  const found = cycles(linked.graph);
  const withCalls = found.map((c) => {
    const hops = c.split(' -> ');
    return `${c}: ${hops.slice(1).map((h, i) => linked.why.get(`${hops[i]} -> ${h}`)).join('; ')}`;
  });
  check('link-cycles', withCalls);
  for (const d of [...linked.graph.keys()].sort()) {
    const deps = [...linked.graph.get(d)].sort();
    console.log(`  ${d} calls ${deps.length ? deps.join(', ') : '(util only)'}`);
  }
  const union = new Map();
  for (const g of [folders, linked.graph])
    for (const [k, v] of g) {
      if (k === 'util') continue;
      if (!union.has(k)) union.set(k, new Set());
      for (const t of v) if (t !== 'util' && t !== k) union.get(k).add(t);
    }
  check('include-and-link-cycles', cycles(union));
  // the check itself: one call planted against the flow (sim calling the
  // run that calls it) must make a cycle
  const planted = new Map([...linked.graph].map(([k, v]) => [k, new Set(v)]));
  planted.get('sim').add('run');
  check('link-check-sees-a-planted-call',
    linked.graph.get('run').has('sim') && cycles(planted).length > 0 ? [] : ['a planted sim -> run call made no cycle']);
}

// 7. the user guide holds together: every relative link of README.md and
// docs/*.md names a file that exists (a page moved or renamed breaks it)
function brokenLinks(file, text) {
  const out = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const url = m[1];
    if (/^(https?:|#|mailto:)/.test(url)) continue;
    const target = path.resolve(path.dirname(file), url.split('#')[0]);
    if (!fs.existsSync(target)) out.push(`${path.relative(ROOT, file)}: ${url} names no file`);
  }
  return out;
}
const pages = [path.join(ROOT, 'README.md'),
  ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'docs', f))];
check('docs-links-resolve', pages.flatMap((f) => brokenLinks(f, fs.readFileSync(f, 'utf8'))));
check('docs-link-check-sees-a-planted-link',
  brokenLinks(path.join(ROOT, 'docs', 'x.md'), '[a](no-such-page.md) [b](inputs.md)').length === 1 ? [] : ['a planted broken link was not seen']);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
