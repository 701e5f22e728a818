// `watchpost receivers list` and `watchpost receivers test <name> [--channel <id>]`: the receivers of
// the configuration file with their channels (secrets masked), and a test message sent through them
// now, within the destinations' rate limits, logged like any delivery. Exit code 9 when a channel
// did not take the test message, so scripts can check a new robot before relying on it.
import type { Command } from 'commander';
import { pino, destination } from 'pino';
import type { Config } from '../config/model.js';
import type { openState } from '../app.js';
import { systemClock } from '../kernel/clock.js';
import { randomIds } from '../kernel/ids.js';
import { HttpClient } from '../notify/http-client.js';
import { createDelivery } from '../notify/delivery/factory.js';
import { describeChannel, limitOf } from '../notify/registry.js';

export const EXIT_TEST_FAILED = 9;

interface Deps {
  withStorageFlags: (c: Command) => Command;
  withState: <T>(flags: object, fn: (s: Awaited<ReturnType<typeof openState>>) => Promise<T>) => Promise<T>;
  load: (flags: object) => { config: Config };
  version: string;
}

const limitText = (l: { perSecond: number | null; perMinute: number | null }): string =>
  [l.perSecond ? `${l.perSecond}/s` : '', l.perMinute ? `${l.perMinute}/min` : '']
    .filter(Boolean)
    .join(', ') || 'no limit';

export function registerReceivers(program: Command, d: Deps): void {
  const receivers = program.command('receivers').description('receivers and their channels');
  d.withStorageFlags(
    receivers.command('list').description('list the receivers of the configuration with their channels'),
  ).action((flags: object) => {
    const { config } = d.load(flags);
    for (const r of config.receivers) {
      process.stdout.write(
        `${r.name}  (${r.policy === 'fallback' ? `fallback after ${r.fallbackAfter} failed attempts` : 'all channels'}, ${r.language})\n`,
      );
      if (r.channels.length === 0)
        process.stdout.write('  no channels: notifications are recorded, not sent\n');
      for (const c of r.channels)
        process.stdout.write(`  ${c.id.padEnd(12)} ${describeChannel(c)}  [${limitText(limitOf(c))}]\n`);
    }
  });

  d.withStorageFlags(
    receivers
      .command('test')
      .description('send a test message through a receiver’s channels now and print what each answered')
      .argument('<receiver>', 'receiver name')
      .option('--channel <id>', 'only this channel, e.g. dingtalk/0'),
  ).action(async (name: string, flags: { channel?: string }) => {
    const { config } = d.load(flags);
    await d.withState(flags, async (s) => {
      const client = new HttpClient();
      try {
        const { engine } = createDelivery({
          db: s.database.db,
          clock: systemClock,
          ids: randomIds,
          client,
          config,
          box: s.box,
          logger: pino({ level: 'warn' }, destination(2)),
          version: d.version,
        });
        const results = await engine.sendTest(name, randomIds.uuid(), flags.channel);
        for (const r of results) {
          const o = r.outcome;
          const code = o.providerCode !== null ? ` code ${o.providerCode}` : '';
          process.stdout.write(`${r.channel}: ${o.ok ? 'ok' : 'FAILED'}${code} — ${o.message}\n`);
        }
        if (results.some((r) => !r.outcome.ok)) process.exitCode = EXIT_TEST_FAILED;
      } finally {
        await client.close();
      }
    });
  });
}
