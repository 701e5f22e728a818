// How configuration problems are described to a person: dotted paths, "did you mean", and the
// one-message summary. Pure; shared by env.ts and load.ts so both read the same.

import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { ErrorDetail } from '../kernel/errors.js';

/** A problem with where it is: `line` is the 1-based line in the file when known. */
export interface ConfigProblem extends ErrorDetail {
  line?: number;
}

/** A position in the configuration: mapping keys and list indexes. */
export type ConfigPath = readonly (string | number)[];

/** `['services', 2, 'runbook_url']` → `services[2].runbook_url`; odd keys are quoted: `labels["a.b"]`. */
export function formatPath(path: ConfigPath): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `<label>: N problem(s)` then one indented line per problem, with its line number when known. */
export function formatProblems(label: string, problems: readonly ConfigProblem[]): string {
  const n = problems.length;
  const lines = problems.map(
    (p) => `  ${p.path}: ${p.message}${p.line !== undefined ? ` (line ${p.line})` : ''}`,
  );
  return [`${label}: ${n} problem${n === 1 ? '' : 's'}`, ...lines].join('\n');
}

/** Optimal string alignment distance: edits, counting a swap of two neighbours as one ("prot" → "port"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate `word` was most likely meant to be, or undefined when none is close: the same
 * apart from case and `_`/`-` (`externalUrl` → `external_url`, `p1` → `P1`), or, for words of three
 * letters or more, a few typing slips (about one per three letters) in the whole candidate or in its
 * beginning (`prot` → `port`, `runbok` → `runbook_url`).
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  const same = candidates.find((c) => norm(c) === w);
  if (same !== undefined || w.length < 3) return same;
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const c of candidates) {
    const n = norm(c);
    const whole = editDistance(w, n);
    // A word typed short of a long key: compare with that key's beginning, but count it as one slip more.
    const start = w.length >= 4 && n.length > w.length ? editDistance(w, n.slice(0, w.length)) + 1 : Infinity;
    const distance = Math.min(whole, start);
    if (distance <= limit && (best === undefined || distance < best.distance))
      best = { candidate: c, distance };
  }
  return best?.candidate;
}

/** `; did you mean "port"?` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closestMatch(word, candidates);
  return guess === undefined ? '' : `; did you mean ${JSON.stringify(guess)}?`;
}

/** The line of the deepest node on `p` that exists in the document (a key's own line for mappings). */
export function lineOf(doc: Document, lines: LineCounter, p: ConfigPath): number | undefined {
  const lineAt = (n: unknown): number | undefined =>
    isNode(n) && n.range ? lines.linePos(n.range[0]).line : undefined;
  let node: unknown = doc.contents;
  let line = lineAt(node);
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      line = lineAt(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      line = lineAt(node) ?? line;
    } else break;
  }
  return line;
}
