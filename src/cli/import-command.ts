// `watchpost import alertmanager <file>`: converts with config/import-alertmanager.ts, checks the
// result with the loader, prints the report to stderr and the configuration to stdout or a file.
// Exit codes: 0 converted (possibly with "not mapped" lines), 2 the input is not an Alertmanager
// configuration or the result does not load, 3 the input cannot be read, 4 the output exists
// (without --force), 8 with --strict when anything was not mapped (then nothing is written).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatImportNotes, importAlertmanager } from '../config/import-alertmanager.js';
import { formatProblems, validateConfigText } from '../config/load.js';
import { DomainError } from '../kernel/errors.js';

/** Exit code of `--strict` when something could not be mapped: apart from the error codes 1-7. */
export const EXIT_NOT_MAPPED = 8;

interface ImportFlags {
  output?: string;
  force?: boolean;
  strict?: boolean;
  inlineSecretFiles?: boolean;
}

function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new DomainError('not_found', `cannot read ${file}: ${why}`);
  }
}

function importAlertmanagerFile(file: string, flags: ImportFlags): void {
  const out = flags.output;
  if (out !== undefined) {
    if (path.resolve(out) === path.resolve(file))
      throw new DomainError(
        'invalid',
        `--output ${out} is the input file: write the Watchpost configuration elsewhere`,
      );
    if (existsSync(out) && flags.force !== true)
      throw new DomainError('conflict', `${out} exists: add --force to overwrite it`);
  }
  const text = readInput(file);
  // Alertmanager resolves relative *_file paths against the folder of its configuration file.
  const base = path.dirname(path.resolve(file));
  const r = importAlertmanager(text, {
    source: file,
    ...(flags.inlineSecretFiles === true
      ? { readSecretFile: (p: string) => readFileSync(path.resolve(base, p), 'utf8') }
      : {}),
  });

  const checked = validateConfigText(r.yaml, out ?? 'watchpost.yml', { baseDir: process.cwd() });
  if (!checked.ok) {
    const problems = checked.problems.map(({ path: p, message }) => {
      const line = r.inputLine(p);
      return line !== undefined ? { path: p, message, line } : { path: p, message };
    });
    throw new DomainError(
      'invalid',
      formatProblems(`${file}: converted, but Watchpost cannot load the result (nothing written)`, problems),
      { details: problems.map(({ path: p, message }) => ({ path: p, message })) },
    );
  }

  for (const line of formatImportNotes(file, r.notes)) process.stderr.write(`${line}\n`);
  for (const w of checked.warnings) process.stderr.write(`warning: ${w}\n`);
  const notMapped = r.notes.filter((n) => n.kind === 'not_mapped').length;
  const { receivers, routes, inhibitRules, timeIntervals } = r.counts;
  process.stderr.write(
    `${file}: ${receivers} receivers, ${routes} routes, ${inhibitRules} inhibit rules, ${timeIntervals} time intervals; ` +
      (notMapped > 0
        ? `${notMapped} not mapped (marked "not mapped" above and in the output)\n`
        : 'everything mapped\n'),
  );
  if (flags.strict === true && notMapped > 0) {
    process.stderr.write('nothing written: --strict and some parts were not mapped\n');
    process.exitCode = EXIT_NOT_MAPPED;
    return;
  }
  if (out === undefined) {
    process.stdout.write(r.yaml);
    return;
  }
  try {
    // 0600: receivers carry passwords and tokens.
    writeFileSync(out, r.yaml, { flag: flags.force === true ? 'w' : 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new DomainError('conflict', `${out} exists: add --force to overwrite it`);
    throw new DomainError('invalid', `cannot write ${out}: ${(e as Error).message}`);
  }
  process.stderr.write(`wrote ${out}\n`);
}

/** Adds `import alertmanager` to the program. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('turn another tool’s configuration into Watchpost configuration')
    .command('alertmanager')
    .description(
      'convert an alertmanager.yml (route tree, receivers, inhibit rules, time intervals) and report what could not be mapped',
    )
    .argument('<file>', 'Alertmanager configuration file (YAML)')
    .option(
      '-o, --output <file>',
      'write the Watchpost configuration to this file (default: standard output)',
    )
    .option('--force', 'overwrite the output file when it exists')
    .option('--strict', `exit ${EXIT_NOT_MAPPED} and write nothing when any part could not be mapped`)
    .option(
      '--inline-secret-files',
      'read password_file, credentials_file, api_secret_file, url_file, ... and write the secrets into the output',
    )
    .addHelpText(
      'after',
      `\nExit codes: 0 converted (the report on stderr lists what was not mapped), 2 not an Alertmanager\nconfiguration or the result does not load, 3 the file cannot be read, 4 the output exists\n(use --force), ${EXIT_NOT_MAPPED} --strict and something was not mapped.\n`,
    )
    .action((file: string, flags: ImportFlags) => importAlertmanagerFile(file, flags));
}
