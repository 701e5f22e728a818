// The `watchpost` command as an operator uses it: the built binary, run as a child process, against
// temporary data folders. Servers listen on 127.0.0.1 with a port chosen by the OS.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { migrations } from '../../src/db/migrations/index.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, runCli, startServer } from '../support/server.js';
import type { StartedServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
const TIMEOUT = { timeout: 60_000 };

const dirs: string[] = [];
const servers: StartedServer[] = [];

after(async () => {
  for (const s of servers) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'watchpost-cli-'));
  dirs.push(d);
  return d;
}

type ServeOptions = Parameters<typeof startServer>[0];

async function serve(opts: ServeOptions = {}): Promise<StartedServer> {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

/** Starts `watchpost serve` expecting it to refuse: resolves with its exit code and output. */
async function serveFails(opts: ServeOptions): Promise<{ code: number | null; output: string }> {
  let s: StartedServer;
  try {
    s = await serve(opts);
  } catch (e) {
    const m = /watchpost exited with (\S+) before the expected log line; output:\n([\s\S]*)$/.exec(
      e instanceof Error ? e.message : String(e),
    );
    if (!m) throw e;
    return { code: m[1] === 'null' ? null : Number(m[1]), output: m[2] ?? '' };
  }
  return assert.fail(`watchpost started when it should have refused; output:\n${s.output()}`);
}

/** Runs `fn`; when it fails, the server's output is added to the error. */
async function withOutput<T>(srv: StartedServer, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    throw new Error(`${err.stack ?? err.message}\n--- watchpost output ---\n${srv.output()}`, { cause: e });
  }
}

async function api(
  srv: StartedServer,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(srv.url + path, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Creates the admin `root` and an API token for it with the CLI, as an operator would. */
async function adminWithToken(dataDir: string, scope = 'admin'): Promise<string> {
  const u = await runCli(
    ['user', 'create', '--admin', '-u', 'root', '--password-stdin', '--data-dir', dataDir],
    {
      input: PASSWORD + '\n',
    },
  );
  assert.equal(u.code, 0, u.stderr);
  const t = await runCli(['token', 'create', '--scope', scope, '--name', 'e2e', '--data-dir', dataDir]);
  assert.equal(t.code, 0, t.stderr);
  return t.stdout.trim();
}

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  assert.ok(addr && typeof addr === 'object');
  return addr.port;
}

// ---------------------------------------------------------------------------------------------

test(
  '--help lists the commands, serve --help its options, --version the package version',
  TIMEOUT,
  async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const cmd of ['serve', 'migrate', 'config', 'user', 'token'])
      assert.match(help.stdout, new RegExp(`^\\s+${cmd}\\b`, 'm'), `--help lists ${cmd}`);

    const serveHelp = await runCli(['serve', '--help']);
    assert.equal(serveHelp.code, 0, serveHelp.stderr);
    for (const opt of ['--port', '--data-dir', '--config', '--database-url'])
      assert.match(serveHelp.stdout, new RegExp(`${opt}\\b`), `serve --help lists ${opt}`);

    const version = await runCli(['--version']);
    assert.equal(version.code, 0, version.stderr);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  },
);

test('usage mistakes exit 2 (invalid input) with the reason', TIMEOUT, async () => {
  const badPort = await runCli(['serve', '--port', 'abc']);
  assert.equal(badPort.code, 2, badPort.stderr);
  assert.match(badPort.stderr, /--port.*'abc' is invalid.*0-65535/);
  const unknown = await runCli(['frobnicate']);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test('config validate: the example is ok', TIMEOUT, async () => {
  const r = await runCli(['config', 'validate', 'examples/watchpost.yml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^examples\/watchpost\.yml: ok \(2 teams, 4 services\)$/m);
});

test(
  'config validate: every mistake in a file is listed with its path and line, exit 2',
  TIMEOUT,
  async () => {
    const file = join(tempDir(), 'bad.yml');
    writeFileSync(
      file,
      [
        'server:',
        '  port: eighty', // 2: wrong type
        '  hots: 127.0.0.1', // 3: typo of host
        'teams:',
        '  - name: ops',
        '    members:',
        '      - { user: alice, role: superuser }', // 7: no such role
        'services:',
        '  - name: erp',
        '    runbook_url: ftp://wiki.example.com/erp', // 10: not http(s)
        '  - name: erp', // 11: duplicate
        '',
      ].join('\n'),
    );
    const r = await runCli(['config', 'validate', file]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '', 'nothing claims success');
    assert.match(r.stderr, /5 problems/);
    const expected: [string, RegExp][] = [
      ['server.port', /server\.port: must be an integer 0-65535 \(line 2\)/],
      ['server.hots', /server\.hots: unknown key "hots"; did you mean "host"\? \(line 3\)/],
      [
        'teams[0].members[0].role',
        /teams\[0\]\.members\[0\]\.role: must be one of viewer, responder, editor, admin \(line 7\)/,
      ],
      ['services[0].runbook_url', /services\[0\]\.runbook_url: must be an http\(s\) URL \(line 10\)/],
      ['services[1].name', /services\[1\]\.name: duplicate name "erp" \(also at services\[0\]\) \(line 11\)/],
    ];
    for (const [path, re] of expected) assert.match(r.stderr, re, `reports ${path}`);
  },
);

test('config validate: a missing file and invalid YAML are reported clearly', TIMEOUT, async () => {
  const dir = tempDir();
  const missing = await runCli(['config', 'validate', join(dir, 'nope.yml')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /cannot read .*nope\.yml.*no such file/i);

  const broken = join(dir, 'broken.yml');
  writeFileSync(broken, 'server:\n  port: 9797\n  host: "127.0.0.1\n');
  const r = await runCli(['config', 'validate', broken]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /line \d+, column \d+: YAML syntax error/);
});

test('migrate applies every migration to a fresh folder, then says it is up to date', TIMEOUT, async () => {
  const data = join(tempDir(), 'data');
  const first = await runCli(['migrate', '--data-dir', data]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`applied ${Object.keys(migrations).join(', ')} to .*watchpost\\.db`));
  assert.ok(existsSync(join(data, 'watchpost.db')));
  const second = await runCli(['migrate', '--data-dir', data]);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(
    second.stdout.includes(`watchpost.db is up to date (${Object.keys(migrations).at(-1)})`),
    second.stdout,
  );
  assert.doesNotMatch(second.stdout, /applied/);
});

test('user create and token create: the token works over HTTP within its scopes', TIMEOUT, async () => {
  const data = join(tempDir(), 'data');
  const noUser = await runCli(['token', 'create', '--scope', 'read', '--data-dir', data]);
  assert.equal(noUser.code, 2, noUser.stderr);
  assert.match(noUser.stderr, /no users yet: create one with watchpost user create --admin/);

  const user = await runCli(
    ['user', 'create', '--admin', '-u', 'root', '--password-stdin', '--data-dir', data],
    {
      input: PASSWORD + '\n',
    },
  );
  assert.equal(user.code, 0, user.stderr);
  assert.match(user.stdout, /^created admin root \(/);

  const tok = await runCli(['token', 'create', '--scope', 'read,write', '--name', 'ci', '--data-dir', data]);
  assert.equal(tok.code, 0, tok.stderr);
  assert.match(tok.stdout, /^wp_[A-Za-z0-9_-]{16,}\n$/, 'stdout is the token alone, for $(...) in scripts');
  assert.match(tok.stderr, /token for root with scopes read,write \(shown once; store it now\)/);
  const token = tok.stdout.trim();

  const srv = await serve({ dataDir: data });
  await withOutput(srv, async () => {
    assert.equal(srv.setupToken, null, 'no setup token once an admin exists');
    assert.doesNotMatch(srv.output(), /setup token/);
    assert.deepEqual((await api(srv, 'GET', '/api/v1/setup')).body, { needed: false });

    // The piped password (without its newline) is the one stored.
    const login = await api(srv, 'POST', '/api/v1/auth/login', {
      body: { username: 'root', password: PASSWORD },
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));

    assert.equal((await api(srv, 'GET', '/api/v1/users')).status, 401, 'no token, no users');
    const users = await api(srv, 'GET', '/api/v1/users', { token });
    assert.equal(users.status, 200, JSON.stringify(users.body));
    assert.deepEqual(
      users.body.items.map((u: { username: string; role: string }) => [u.username, u.role]),
      [['root', 'admin']],
    );

    // write scope: services can be created ...
    const created = await api(srv, 'POST', '/api/v1/services', { token, body: { name: 'erp', tier: 'P1' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.name, 'erp');
    // ... but admin work (teams, the audit log) needs the admin scope, though root is an admin.
    for (const [method, path, body] of [
      ['POST', '/api/v1/teams', { name: 'ops' }],
      ['GET', '/api/v1/audit', undefined],
    ] as const) {
      const r = await api(srv, method, path, { token, body });
      assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.message, /token scope admin/);
    }
    assert.equal((await api(srv, 'GET', '/api/v1/teams', { token })).body.items.length, 0);
  });
});

test('user create and token create refuse bad input with the reason and exit code', TIMEOUT, async () => {
  const data = join(tempDir(), 'data');
  const create = (name: string, password: string) =>
    runCli(['user', 'create', '-u', name, '--password-stdin', '--data-dir', data], { input: password });

  const first = await create('alice', PASSWORD);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^created viewer alice/);

  const again = await create('alice', 'another long password');
  assert.equal(again.code, 4, again.stderr);
  assert.match(again.stderr, /a user named "alice" already exists: choose another username/);

  const short = await create('bob', 'short');
  assert.equal(short.code, 2, short.stderr);
  assert.match(short.stderr, /password is too short: use at least 10 characters/);

  const bogus = await runCli(['token', 'create', '--scope', 'bogus', '--user', 'alice', '--data-dir', data]);
  assert.equal(bogus.code, 2, bogus.stderr);
  assert.match(bogus.stderr, /'bogus' is invalid\. use one or more of ingest, read, respond, write, admin/);
  assert.equal(bogus.stdout, '');

  // A token never carries more than its owner's role.
  const tooMuch = await runCli([
    'token',
    'create',
    '--scope',
    'write',
    '--user',
    'alice',
    '--data-dir',
    data,
  ]);
  assert.equal(tooMuch.code, 5, tooMuch.stderr);
  assert.match(tooMuch.stderr, /scope write needs a role editor or higher; alice is a viewer/);
  assert.equal(tooMuch.stdout, '');
});

test(
  'serve honours WATCHPOST_HOST, WATCHPOST_PORT, WATCHPOST_DATA_DIR and WATCHPOST_CONFIG',
  TIMEOUT,
  async () => {
    const dir = tempDir();
    const data = join(dir, 'state');
    const file = join(dir, 'watchpost.yml');
    writeFileSync(file, 'services:\n  - name: erp\n    tier: P1\n');
    const port = await freePort();
    const srv = await serve({
      defaultFlags: false,
      env: {
        WATCHPOST_HOST: '127.0.0.1',
        WATCHPOST_PORT: String(port),
        WATCHPOST_DATA_DIR: data,
        WATCHPOST_CONFIG: file,
      },
    });
    await withOutput(srv, async () => {
      assert.equal(srv.url, `http://127.0.0.1:${port}`);
      assert.ok(existsSync(join(data, 'watchpost.db')), 'the database is in WATCHPOST_DATA_DIR');
      assert.ok(existsSync(join(data, 'secret.key')), 'so is the generated secret key');
      const applied = await srv.waitForLog((r) => r.msg === 'configuration applied');
      assert.equal(applied.file, file);
      assert.deepEqual(applied.created, ['service erp']);
      assert.equal((await api(srv, 'GET', '/readyz')).status, 200);
    });
  },
);

test('migrate honours WATCHPOST_DATA_DIR, and --data-dir wins over it', TIMEOUT, async () => {
  const dir = tempDir();
  const fromEnv = join(dir, 'env');
  const fromFlag = join(dir, 'flag');
  const a = await runCli(['migrate'], { env: { WATCHPOST_DATA_DIR: fromEnv } });
  assert.equal(a.code, 0, a.stderr);
  assert.ok(existsSync(join(fromEnv, 'watchpost.db')));
  const b = await runCli(['migrate', '--data-dir', fromFlag], {
    env: { WATCHPOST_DATA_DIR: join(dir, 'unused') },
  });
  assert.equal(b.code, 0, b.stderr);
  assert.ok(existsSync(join(fromFlag, 'watchpost.db')));
  assert.ok(!existsSync(join(dir, 'unused')));
});

test('serve refuses WATCHPOST_PORT=abc with exit 2 naming the variable', TIMEOUT, async () => {
  const data = join(tempDir(), 'data');
  const r = await serveFails({
    defaultFlags: false,
    env: { WATCHPOST_HOST: '127.0.0.1', WATCHPOST_PORT: 'abc', WATCHPOST_DATA_DIR: data },
  });
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /WATCHPOST_PORT: must be an integer 0-65535, got "abc"/);
  assert.doesNotMatch(r.output, /listening/i);
  assert.ok(!existsSync(join(data, 'watchpost.db')), 'nothing was started');
});

test(
  'serve with an invalid configuration file lists every problem once and does not listen',
  TIMEOUT,
  async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'server:\n  prot: 9797\nservices:\n  - name: erp\n    tier: P9\n  - name: erp\n');
    const r = await serveFails({ dataDir: data, args: ['--config', file] });
    assert.equal(r.code, 2, r.output);
    assert.match(r.output, /3 problems/);
    for (const problem of [
      'server.prot: unknown key "prot"; did you mean "port"? (line 2)',
      'services[0].tier: must be one of P0, P1, P2, P3',
      'services[1].name: duplicate name "erp"',
    ])
      assert.equal(
        count(r.output, problem.replace(/ \(line \d+\)$/, '')),
        1,
        `${problem} is listed once:\n${r.output}`,
      );
    assert.doesNotMatch(r.output, /listening/i);
    assert.ok(!existsSync(join(data, 'watchpost.db')), 'nothing was started');
  },
);

const CONFIG_V1 = `
teams:
  - name: ops
    description: On call for order and stock flows.
    members:
      - { user: root, role: admin }
services:
  - name: erp
    team: ops
    tier: P1
    runbook_url: https://wiki.example.com/runbooks/erp
  - name: oms
    team: ops
    tier: P0
`;

const CONFIG_V2 = `
teams:
  - name: ops
    description: On call for order and stock flows.
    members:
      - { user: root, role: admin }
services:
  - name: erp
    description: Finance and purchasing.
    team: ops
    tier: P0
    runbook_url: https://wiki.example.com/runbooks/erp
  - name: wms
    team: ops
    tier: P1
`;

test(
  'config as code: --config objects are read-only over HTTP, and SIGHUP applies an edited file',
  TIMEOUT,
  async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const file = join(dir, 'watchpost.yml');
    writeFileSync(file, CONFIG_V1);
    const token = await adminWithToken(data);
    // A relative path on the command line; the API names the file by its absolute path.
    const srv = await serve({ dataDir: data, args: ['--config', relative(ROOT, file)] });
    await withOutput(srv, async () => {
      const services = async () =>
        (await api(srv, 'GET', '/api/v1/services', { token })).body.items as {
          id: string;
          name: string;
          description: string;
          team: string | null;
          tier: string | null;
          managedBy: string | null;
        }[];
      const v1 = await services();
      assert.deepEqual(v1.map((s) => [s.name, s.team, s.tier, s.managedBy]).sort(), [
        ['erp', 'ops', 'P1', file],
        ['oms', 'ops', 'P0', file],
      ]);
      const teams = (await api(srv, 'GET', '/api/v1/teams', { token })).body.items;
      assert.deepEqual(
        teams.map((t: any) => [t.name, t.managedBy, t.members.map((m: any) => `${m.username}:${m.role}`)]),
        [['ops', file, ['root:admin']]],
      );

      const erp = v1.find((s) => s.name === 'erp');
      assert.ok(erp);
      const patch = await api(srv, 'PATCH', `/api/v1/services/${erp.id}`, {
        token,
        body: { description: 'changed by hand' },
      });
      assert.equal(patch.status, 409, JSON.stringify(patch.body));
      assert.ok(patch.body.error.message.includes(file), patch.body.error.message);
      assert.match(patch.body.error.message, /change it there and reload/);

      writeFileSync(file, CONFIG_V2);
      srv.proc.kill('SIGHUP');
      const applied = await srv.waitForLog(
        (r) =>
          r.msg === 'configuration applied' && Array.isArray(r.removed) && r.removed.includes('service oms'),
      );
      assert.deepEqual(applied.created, ['service wms']);
      assert.deepEqual(applied.updated, ['service erp']);
      const v2 = await services();
      assert.deepEqual(v2.map((s) => [s.name, s.description, s.tier, s.managedBy]).sort(), [
        ['erp', 'Finance and purchasing.', 'P0', file],
        ['wms', '', 'P1', file],
      ]);

      // A broken edit is refused as a whole; what was applied stays in force and the server keeps running.
      writeFileSync(file, CONFIG_V2 + '  - name: erp\n');
      srv.proc.kill('SIGHUP');
      const failed = await srv.waitForLog((r) => String(r.msg).startsWith('configuration reload failed'));
      assert.match(JSON.stringify(failed), /duplicate name/);
      assert.deepEqual((await services()).map((s) => s.name).sort(), ['erp', 'wms']);
    });
  },
);

test('config apply prints what it created, updated and removed', TIMEOUT, async () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  const file = join(dir, 'watchpost.yml');
  const noMembers = (yaml: string) => yaml.replace(/ {4}members:\n.*\n/, '');
  writeFileSync(file, noMembers(CONFIG_V1));
  const apply = () => runCli(['config', 'apply', '--config', file, '--data-dir', data]);

  const first = await apply();
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(lines(first.stdout), [
    'created team ops',
    'created service erp',
    'created service oms',
    '0 unchanged',
  ]);

  writeFileSync(file, noMembers(CONFIG_V2));
  const second = await apply();
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(lines(second.stdout), [
    'created service wms',
    'updated service erp',
    'removed service oms',
    '1 unchanged',
  ]);

  const third = await apply();
  assert.equal(third.code, 0, third.stderr);
  assert.deepEqual(lines(third.stdout), ['3 unchanged']);

  const noFile = await runCli(['config', 'apply', '--data-dir', data]);
  assert.equal(noFile.code, 2, noFile.stderr);
  assert.match(noFile.stderr, /name the file: watchpost config apply --config <file>/);
});

test('a different WATCHPOST_SECRET_KEY on the same data folder is refused', TIMEOUT, async () => {
  const data = join(tempDir(), 'data');
  const key = randomBytes(32).toString('base64');
  const other = randomBytes(32).toString('hex');

  const first = await serve({ dataDir: data, env: { WATCHPOST_SECRET_KEY: key } });
  assert.equal(await first.stop(), 0, first.output());
  assert.ok(!existsSync(join(data, 'secret.key')), 'a key from the environment is not written to disk');
  const same = await serve({ dataDir: data, env: { WATCHPOST_SECRET_KEY: key } });
  assert.equal(await same.stop(), 0, same.output());

  const r = await serveFails({ dataDir: data, env: { WATCHPOST_SECRET_KEY: other } });
  assert.notEqual(r.code, 0, r.output);
  assert.match(r.output, /the secret key differs from the one it was encrypted with/);
  assert.doesNotMatch(r.output, /listening/i);
  assert.ok(!r.output.includes(other), 'the key is not echoed');

  const bad = await serveFails({ dataDir: data, env: { WATCHPOST_SECRET_KEY: 'hunter2hunter2' } });
  assert.equal(bad.code, 2, bad.output);
  assert.match(bad.output, /WATCHPOST_SECRET_KEY: must be 32 random bytes/);
  assert.ok(!bad.output.includes('hunter2hunter2'), 'the key is not echoed');
});

test('without WATCHPOST_SECRET_KEY a key file is generated with mode 0600 and reused', TIMEOUT, async () => {
  const data = join(tempDir(), 'data');
  const first = await serve({ dataDir: data });
  await withOutput(first, async () => {
    const file = join(data, 'secret.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(first.output(), /generated a new secret key/);
    assert.equal(await first.stop(), 0);
    const key = readFileSync(file, 'utf8');
    const second = await serve({ dataDir: data });
    assert.equal(await second.stop(), 0, second.output());
    assert.doesNotMatch(second.output(), /generated a new secret key/);
    assert.equal(readFileSync(file, 'utf8'), key);
  });
});
