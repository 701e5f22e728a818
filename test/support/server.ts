// Starts the built `watchpost` binary (dist/src/cli/main.js) as a child process for end-to-end tests.
//   const srv = await startServer({ env?, args? });
//   srv.url          -> 'http://127.0.0.1:<port>' (port chosen by the OS)
//   srv.setupToken   -> the one-time setup token printed on first start (null if users exist)
//   srv.dataDir      -> the temporary data folder (removed by stop() unless keepData)
//   srv.output()     -> everything the process printed so far
//   await srv.stop() -> SIGTERM, waits for exit, returns the exit code
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface StartedServer {
  url: string;
  setupToken: string | null;
  dataDir: string;
  proc: ChildProcess;
  output(): string;
  /** Resolves with the first log record that satisfies `pred`. */
  waitForLog(
    pred: (rec: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does it first)`);
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...baseEnv(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A command that hangs must fail its test, not stall the suite.
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(
        new Error(
          `watchpost ${args.join(' ')} did not finish within ${timeoutMs} ms; output:\n${stdout}${stderr}`,
        ),
      );
    }, timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    p.stdin.end(opts.input ?? '');
  });
}

/** The environment without any WATCHPOST_ variable of the developer's shell. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('WATCHPOST_')) env[k] = v;
  return env;
}

export async function startServer(
  opts: {
    env?: Record<string, string>;
    args?: string[];
    dataDir?: string;
    keepData?: boolean;
    /** false: pass none of --host, --port and --data-dir, so the environment decides them. */
    defaultFlags?: boolean;
  } = {},
): Promise<StartedServer> {
  assertBuilt();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'watchpost-e2e-'));
  const defaults =
    opts.defaultFlags === false ? [] : ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir];
  const proc = spawn(process.execPath, [BIN, 'serve', ...defaults, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...baseEnv(), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const records: Record<string, unknown>[] = [];
  const waiters: {
    pred: (r: Record<string, unknown>) => boolean;
    resolve: (r: Record<string, unknown>) => void;
  }[] = [];
  let partial = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      records.push(rec);
      for (const w of [...waiters])
        if (w.pred(rec)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(rec);
        }
    }
  });
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) =>
    proc.on('exit', (code, signal) => r(code ?? (signal ? 128 : null))),
  );

  const waitForLog = (pred: (r: Record<string, unknown>) => boolean, timeoutMs = 20_000) =>
    new Promise<Record<string, unknown>>((res, rej) => {
      const hit = records.find(pred);
      if (hit) return res(hit);
      const timer = setTimeout(
        () => rej(new Error(`timed out waiting for a log line; output so far:\n${out}`)),
        timeoutMs,
      );
      waiters.push({
        pred,
        resolve: (r) => {
          clearTimeout(timer);
          res(r);
        },
      });
      void exited.then((code) => {
        clearTimeout(timer);
        rej(new Error(`watchpost exited with ${String(code)} before the expected log line; output:\n${out}`));
      });
    });

  let listening: Record<string, unknown>;
  let setup: Record<string, unknown> | null;
  try {
    listening = await waitForLog(
      (r) => typeof r.msg === 'string' && r.msg.startsWith('Watchpost listening on'),
    );
    setup = listening.setupRequired ? await waitForLog((r) => typeof r.setupToken === 'string') : null;
  } catch (e) {
    proc.kill('SIGKILL'); // never leave a half-started server behind
    throw e;
  }
  return {
    url: String(listening.url),
    setupToken: setup ? String(setup.setupToken) : null,
    dataDir,
    proc,
    output: () => out,
    waitForLog,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await exited;
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * With the CLI against a data folder (no server running): creates the admin `root` and an API token
 * of `scopes` (comma-separated) named `name`; returns the token.
 */
export async function cliAdminToken(dataDir: string, scopes: string, name: string): Promise<string> {
  const made = await runCli(
    ['user', 'create', '--admin', '-u', 'root', '--password-stdin', '--data-dir', dataDir],
    { input: 'root password 1\n' },
  );
  assert.equal(made.code, 0, made.stderr);
  const tok = await runCli(['token', 'create', '--scope', scopes, '--name', name, '--data-dir', dataDir]);
  assert.equal(tok.code, 0, tok.stderr);
  return tok.stdout.trim();
}
