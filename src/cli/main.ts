#!/usr/bin/env -S node --max-semi-space-size=8
// The `watchpost` command. Each command validates its arguments, calls one service verb, and maps
// the result to output and an exit code; the logic lives in the services.
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { destination, pino } from 'pino';
import { formatProblems, loadConfig, validateConfigText } from '../config/load.js';
import type { Config } from '../config/model.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { ErrorCode } from '../kernel/errors.js';
import { createApp, openState, packageVersion } from '../app.js';
import { applyDeclared } from '../config/apply.js';
import { toAlertmanagerYaml } from '../config/alertmanager.export.js';
import { configActor, ROLES, SCOPES, systemActor } from '../auth/model.js';
import type { Role, Scope } from '../auth/model.js';
import { systemClock } from '../kernel/clock.js';
import { randomIds } from '../kernel/ids.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { registerImport } from './import-command.js';
import { registerReceivers } from './receivers-command.js';
import { readSecret } from './prompt.js';

const EXIT: Record<ErrorCode, number> = {
  invalid: 2,
  not_found: 3,
  conflict: 4,
  unauthorized: 5,
  forbidden: 5,
  rate_limited: 6,
  unavailable: 7,
};

interface CommonFlags {
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
  port?: number;
  host?: string;
}

const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer 0-65535');
  return n;
};

function load(flags: CommonFlags): { config: Config; secretKey: string | null } {
  const r = loadConfig({
    file: flags.config ?? null,
    env: process.env,
    flags: {
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
    },
    cwd: process.cwd(),
  });
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  return { config: r.config, secretKey: r.secretKey };
}

const withStorageFlags = (c: Command): Command =>
  c
    .option('-c, --config <file>', 'configuration file (YAML); env WATCHPOST_CONFIG')
    .option(
      '-d, --data-dir <dir>',
      'data folder for SQLite and the secret key (default ./data); env WATCHPOST_DATA_DIR',
    )
    .option(
      '--database-url <url>',
      'postgres:// URL to keep state in PostgreSQL; env WATCHPOST_DATABASE_URL',
    );

/** Changes made from the command line are audited under the operating-system user who ran it. */
const cliActor = () => systemActor(`cli:${userInfo().username}`);

const quietLogger = () => pino({ level: 'warn' }, destination(2));

/** Runs with the database open, as the local system administrator. */
async function withState<T>(
  flags: CommonFlags,
  fn: (s: Awaited<ReturnType<typeof openState>>) => Promise<T>,
): Promise<T> {
  const { config, secretKey } = load(flags);
  const state = await openState({ config, secretKey }, quietLogger());
  try {
    return await fn(state);
  } finally {
    await state.database.close();
  }
}

export function buildCli(): Command {
  const program = new Command()
    .name('watchpost')
    .description('Monitoring and alerting for e-commerce operations')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    // Usage mistakes (a bad option value, an unknown command) throw instead of exiting with 1, so
    // main() can give them the exit code of invalid input; subcommands inherit this.
    .exitOverride();

  withStorageFlags(
    program
      .command('serve')
      .description('run the server (HTTP API, web UI and every loop)')
      .option('-p, --port <port>', 'HTTP port (default 9797); env WATCHPOST_PORT', port)
      .option('--host <address>', 'listen address (default 0.0.0.0); env WATCHPOST_HOST'),
  ).action(async (flags: CommonFlags) => {
    // Every function gets baseline machine code on its first call instead of being interpreted
    // until it is hot: the first alerts after a start (and rare paths, such as a group's first
    // notification) are not slowed by the interpreter. Measured: latency probe p50 19.2-21.0 ->
    // 17.2-19.0 ms over five alternating runs, for ~10 MB more resident memory (bench/README.md).
    setFlagsFromString('--always-sparkplug');
    // WebAssembly (undici's HTTP parser, which every outgoing request uses) stays on its baseline
    // compiler: by default V8 recompiles its hot functions with TurboFan on a background thread, and
    // during the first notifications after a start that took ~170 ms of one core's time (perf, two
    // cores), delaying the deliveries and requests of that moment. Set before the first outgoing
    // connection compiles the module. Parsing a receiver's short answer stays a matter of microseconds.
    setFlagsFromString('--liftoff-only');
    const { config, secretKey } = load(flags);
    const reloadConfig = () => load(flags).config;
    const app = await createApp({ config, secretKey, reloadConfig });
    await app.start();
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (stopping) {
        app.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopping = true;
      app.logger.info(
        { signal },
        'shutting down: finishing in-flight requests (send the signal again to exit at once)',
      );
      app.stop().then(
        () => {
          app.logger.info('stopped');
          process.exit(0);
        },
        (e: unknown) => {
          app.logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
    process.on('SIGHUP', () => {
      app
        .reload(systemActor('SIGHUP'))
        .catch((e: unknown) =>
          app.logger.error(
            { err: e },
            'configuration reload failed; the previous configuration stays in force',
          ),
        );
    });
  });

  withStorageFlags(
    program.command('migrate').description('apply pending database migrations and exit'),
  ).action(async (flags: CommonFlags) => {
    const { config } = load(flags);
    const database = openDatabase({
      dataDir: config.storage.dataDir,
      databaseUrl: config.storage.databaseUrl,
    });
    try {
      const r = await migrateToLatest(database);
      process.stdout.write(
        r.applied.length
          ? `applied ${r.applied.join(', ')} to ${database.location}\n`
          : `${database.location} is up to date (${r.current ?? 'empty'})\n`,
      );
    } finally {
      await database.close();
    }
  });

  const config = program.command('config').description('check and apply configuration files');
  config
    .command('validate')
    .description('check a configuration file and list every problem with its path')
    .argument('<file>', 'YAML file')
    .action((file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new DomainError('not_found', `cannot read ${file}: ${(e as Error).message}`);
      }
      const r = validateConfigText(text, file);
      if (!r.ok) {
        process.stderr.write(formatProblems(file, r.problems) + '\n');
        process.exitCode = EXIT.invalid;
        return;
      }
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(
        `${file}: ok (${r.config.teams.length} teams, ${r.config.services.length} services)\n`,
      );
    });
  withStorageFlags(
    config
      .command('apply')
      .description('apply the objects a configuration file declares (teams, services) to the database'),
  ).action(async (flags: CommonFlags) => {
    await withState(flags, async (s) => {
      const { config: c } = load(flags);
      if (!c.source.path)
        throw new DomainError('invalid', 'name the file: watchpost config apply --config <file>');
      const r = await applyDeclared(s.database.db, systemClock, randomIds, configActor(c.source.path), c);
      for (const x of r.created) process.stdout.write(`created ${x}\n`);
      for (const x of r.updated) process.stdout.write(`updated ${x}\n`);
      for (const x of r.removed) process.stdout.write(`removed ${x}\n`);
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`${r.unchanged} unchanged\n`);
    });
  });

  config
    .command('export')
    .description(
      "write the configuration in another tool's syntax: --format alertmanager gives an alertmanager.yml (route, receivers, inhibit_rules, time_intervals) that amtool check-config accepts",
    )
    .option('-c, --config <file>', 'configuration file (YAML); env WATCHPOST_CONFIG')
    .addOption(
      new Option('--format <format>', 'output syntax').choices(['alertmanager']).makeOptionMandatory(),
    )
    .option('-o, --output <file>', 'write to this file (created with mode 0600) instead of standard output')
    .option('--force', 'overwrite the output file if it exists')
    .option('--mask-secrets', 'write credentials as <secret>, as Alertmanager shows them')
    .action(
      (flags: {
        config?: string;
        format: 'alertmanager';
        output?: string;
        force?: boolean;
        maskSecrets?: boolean;
      }) => {
        const { config: c } = load({ ...(flags.config ? { config: flags.config } : {}) });
        const text = toAlertmanagerYaml(c, { secrets: flags.maskSecrets ? 'mask' : 'show' });
        if (!flags.output) {
          process.stdout.write(text);
          return;
        }
        try {
          // Credentials may be in it: readable by the owner only. `wx` refuses an existing file.
          writeFileSync(flags.output, text, { mode: 0o600, flag: flags.force ? 'w' : 'wx' });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST')
            throw new DomainError('conflict', `${flags.output} exists: add --force to overwrite it`);
          throw new DomainError('invalid', `cannot write ${flags.output}: ${(e as Error).message}`);
        }
        process.stderr.write(`wrote ${flags.output} (${c.receivers.length} receivers)\n`);
      },
    );

  registerImport(program);
  registerReceivers(program, { withStorageFlags, withState, load, version: packageVersion() });

  const user = program.command('user').description('manage users');
  withStorageFlags(
    user
      .command('create')
      .description(
        'create a user (works before setup: the first admin can be made here instead of in the UI)',
      )
      .requiredOption('-u, --username <name>', 'login name')
      .option('--display-name <name>', 'name shown in the UI')
      .addOption(new Option('--role <role>', 'role').choices(ROLES).default('viewer'))
      .option('--admin', 'shorthand for --role admin')
      .option('--password-stdin', 'read the password from standard input instead of prompting'),
  ).action(
    async (
      flags: CommonFlags & {
        username: string;
        displayName?: string;
        role: Role;
        admin?: boolean;
        passwordStdin?: boolean;
      },
    ) => {
      const password = await readSecret('password: ', flags.passwordStdin === true);
      await withState(flags, async (s) => {
        const u = await s.services.accounts.createUser(cliActor(), {
          username: flags.username,
          password,
          displayName: flags.displayName,
          role: flags.admin ? 'admin' : flags.role,
        });
        process.stdout.write(`created ${u.role} ${u.username} (${u.id})\n`);
      });
    },
  );

  const token = program.command('token').description('manage API tokens');
  withStorageFlags(
    token
      .command('create')
      .description('create an API token and print it once')
      .requiredOption('--scope <scopes>', `comma-separated: ${SCOPES.join(', ')}`, (v) => {
        const list = v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        const bad = list.filter((x) => !(SCOPES as readonly string[]).includes(x));
        if (bad.length || !list.length)
          throw new InvalidArgumentError(`use one or more of ${SCOPES.join(', ')}`);
        return list as Scope[];
      })
      .option('--name <name>', 'what the token is for', 'cli')
      .option('-u, --user <username>', 'owner of the token (default: the only admin)')
      .option('--expires-in-days <days>', 'expiry', (v) => Number(v)),
  ).action(
    async (flags: CommonFlags & { scope: Scope[]; name: string; user?: string; expiresInDays?: number }) => {
      await withState(flags, async (s) => {
        let username = flags.user;
        if (!username) {
          const admins = (await s.services.accounts.listUsers(cliActor())).filter(
            (u) => u.role === 'admin' && !u.disabled,
          );
          if (admins.length !== 1)
            throw new DomainError(
              'invalid',
              admins.length
                ? 'several admins exist: name the owner with --user'
                : 'no users yet: create one with watchpost user create --admin',
            );
          username = admins[0]?.username;
        }
        const r = await s.services.accounts.createToken(cliActor(), {
          name: flags.name,
          scopes: flags.scope,
          expiresInDays: flags.expiresInDays,
          username,
        });
        process.stderr.write(
          `token for ${r.record.username} with scopes ${r.record.scopes.join(',')} (shown once; store it now):\n`,
        );
        process.stdout.write(r.token + '\n');
      });
    },
  );

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed the message (or the help or version asked for).
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.invalid;
      return;
    }
    if (isDomainError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      // Only what the message does not already say (a configuration error lists every problem in it).
      for (const d of e.details)
        if (!(e.message.includes(d.path) && e.message.includes(d.message)))
          process.stderr.write(`  ${d.path}: ${d.message}\n`);
      process.exitCode = EXIT[e.code];
      return;
    }
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
