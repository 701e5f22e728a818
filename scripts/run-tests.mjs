#!/usr/bin/env node
// Runs the test suite with node's built-in runner (Node 20 has no glob support in --test, so the
// files are found here). Usage: node scripts/run-tests.mjs [folder-or-file ...]  (default: src test)
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
const found = [];
const walk = (p) => {
  const st = statSync(p);
  if (st.isFile()) {
    if (p.endsWith('.test.ts')) found.push(p);
    return;
  }
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    walk(join(p, name));
  }
};
for (const r of roots.length ? roots : ['src', 'test']) walk(r);
found.sort();
if (found.length === 0) {
  console.error('no test files found under ' + (roots.join(', ') || 'src, test'));
  process.exit(1);
}
console.log(`running ${found.length} test files`);
const res = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    ...passThrough,
    ...found.map((f) => relative('.', f)),
  ],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
