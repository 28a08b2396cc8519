#!/usr/bin/env node
// The source layout's rules, checked on every test run:
//  1. no include cycle between modules (a module is a .c/.h pair: inputs/demand),
//  2. no cycle between folders either (data flows one way: inputs -> plan ->
//     policy + sim -> accept -> report), and the graph printed as it is,
//  3. the tool (src/cli) includes the public headers and its own files only,
//  4. no function longer than 100 lines, unless its comment says why (a
//     kernel), and no mutable global outside the fault-injection hook.
// Prints one line per rule and "N passed, N failed".
'use strict';
const fs = require('node:fs');
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

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
