// What the benchmarks share: free ports, starting `watchpost serve` from dist/ and waiting until it
// is ready, and stopping a server without letting a slow shutdown hold up the report.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on now: fixed ports collide with other runs on a shared machine. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Resolves when `url` answers 2xx and `proc` is still alive; throws when it exits first. */
export async function waitReady(url, proc, what) {
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url)).ok) {
        // Another server on the same port would answer too: make sure ours is still alive.
        await sleep(200);
        if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
        return;
      }
    } catch (e) {
      if (proc.exitCode !== null) throw e;
    }
    await sleep(100);
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

/**
 * The Node flags `npm start` runs the server with (package.json's start script, the same as the
 * `watchpost` command's shebang): the benchmark measures the server as it is run.
 */
export const serveFlags = () => {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((a) => a.startsWith('--'));
};

/** `watchpost serve` on a free port of 127.0.0.1 with `configFile` and `dataDir`, once ready. */
export async function startWatchpost({ configFile, dataDir, nodeArgs = [] }) {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      ...serveFlags(),
      ...nodeArgs,
      join(root, 'dist', 'src', 'cli', 'main.js'),
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--config',
      configFile,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/readyz`, proc, 'watchpost');
  return { proc, base, port };
}

/** Node flags that profile the server into `dir` as `<name>.cpuprofile` (none without a dir). */
export const cpuProfArgs = (dir, name) =>
  dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];

/** A --cpu-prof profile is written on a clean exit: the grace a profiled server gets to stop. */
export const PROFILED_STOP_MS = 20_000;

/** SIGTERM (a --cpu-prof profile is written on a clean exit), then SIGKILL after `graceMs`. */
export async function stop(proc, graceMs = 10_000) {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
