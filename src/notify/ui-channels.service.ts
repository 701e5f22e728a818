// Channels managed in the UI: stored with their secret fields sealed, every change audited (with
// secrets masked), and handed to `onChange` so the engine and the dispatcher use them at once.
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import { audit } from '../auth/audit.js';
import { actorUserName } from '../auth/actor-name.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { ReceiverConfig } from '../config/model.js';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import { DomainError, notFound } from '../kernel/errors.js';
import type { Ids } from '../kernel/ids.js';
import type { ChannelSpec, UiChannel, UiChannelKind } from './ui-channels.js';
import { SECRET_KEYS, UI_CHANNEL_KINDS, buildUiChannel, keepSecrets, masked } from './ui-channels.js';

export interface ReceiverChannelServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  box: SecretBox;
  /** The file's receivers in force (a reload replaces them). */
  fileReceivers: () => readonly ReceiverConfig[];
  /** Called after every change, with every UI channel. */
  onChange: (channels: UiChannel[]) => Promise<void>;
}

const sealContext = (id: string, key: string): string => `receiver_channel:${id}:${key}`;

export class ReceiverChannelService {
  constructor(private readonly d: ReceiverChannelServiceDeps) {}

  private seal(id: string, kind: UiChannelKind, config: ChannelSpec): string {
    const out: ChannelSpec = { ...config };
    for (const k of SECRET_KEYS[kind])
      if (out[k] !== undefined && out[k] !== null)
        out[k] = this.d.box.seal(JSON.stringify(out[k]), sealContext(id, k));
    return JSON.stringify(out);
  }

  private unseal(id: string, kind: UiChannelKind, text: string): ChannelSpec {
    const out = JSON.parse(text) as ChannelSpec;
    for (const k of SECRET_KEYS[kind])
      if (typeof out[k] === 'string')
        out[k] = JSON.parse(this.d.box.open(out[k], sealContext(id, k))) as unknown;
    return out;
  }

  /** Every channel added in the UI, secrets in plain text: for building receivers only. */
  async all(): Promise<UiChannel[]> {
    const rows = await this.d.db.selectFrom('receiver_channels').selectAll().orderBy('position').execute();
    return rows.map((r) => ({
      id: r.id,
      receiver: r.receiver,
      kind: r.kind as UiChannelKind,
      config: this.unseal(r.id, r.kind as UiChannelKind, r.config),
      position: r.position,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Like `all`, with secret fields masked: what answers may show. */
  async list(actor: Actor): Promise<UiChannel[]> {
    requirePermission(actor, 'read');
    return (await this.all()).map((c) => ({ ...c, config: masked(c.kind, c.config) }));
  }

  private receiverNamed(name: string): ReceiverConfig {
    const receivers = this.d.fileReceivers();
    const r = receivers.find((x) => x.name === name);
    if (!r)
      throw new DomainError(
        'not_found',
        `no receiver ${JSON.stringify(name)} in the configuration file; it has ${receivers.map((x) => x.name).join(', ') || 'none'}. Declare the receiver there (a name is enough), then add channels to it here`,
      );
    return r;
  }

  private check(kind: string, config: ChannelSpec, receiver: ReceiverConfig): UiChannelKind {
    if (!(UI_CHANNEL_KINDS as readonly string[]).includes(kind))
      throw new DomainError(
        'invalid',
        `unknown channel kind ${JSON.stringify(kind)}; use one of ${UI_CHANNEL_KINDS.join(', ')}`,
        {
          details: [{ path: '/kind', message: `must be one of ${UI_CHANNEL_KINDS.join(', ')}` }],
        },
      );
    const k = kind as UiChannelKind;
    const built = buildUiChannel(k, config, receiver.language);
    if (!built.decl)
      throw new DomainError(
        'invalid',
        `invalid ${k} channel: ${built.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        { details: built.problems },
      );
    return k;
  }

  async create(actor: Actor, receiverName: string, kind: string, config: ChannelSpec): Promise<UiChannel> {
    requirePermission(actor, 'write');
    const receiver = this.receiverNamed(receiverName);
    const k = this.check(kind, config, receiver);
    const now = this.d.clock.now();
    const id = this.d.ids.uuid();
    const createdBy = (await actorUserName(this.d.db, actor)) || actor.name;
    const channel = await this.d.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('receiver_channels')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('receiver', '=', receiverName)
        .executeTakeFirst();
      const c: UiChannel = {
        id,
        receiver: receiverName,
        kind: k,
        config,
        position: Number(last?.p ?? -1) + 1,
        createdBy,
        createdAt: now,
        updatedAt: now,
      };
      await trx
        .insertInto('receiver_channels')
        .values({
          id,
          receiver: c.receiver,
          kind: c.kind,
          config: this.seal(id, k, config),
          position: c.position,
          created_by: c.createdBy,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await audit(
        trx,
        this.d.clock,
        actor,
        'receiver_channel.create',
        { type: 'receiver_channel', id },
        null,
        {
          ...c,
          config: masked(k, config),
        },
      );
      return c;
    });
    await this.d.onChange(await this.all());
    return { ...channel, config: masked(k, config) };
  }

  private async get(id: string): Promise<UiChannel> {
    const c = (await this.all()).find((x) => x.id === id);
    if (!c) throw notFound('channel', id);
    return c;
  }

  /** Replaces a channel's settings; secret fields sent as `<secret>` keep their stored values. */
  async update(actor: Actor, id: string, config: ChannelSpec): Promise<UiChannel> {
    requirePermission(actor, 'write');
    const prev = await this.get(id);
    const next = keepSecrets(prev.kind, config, prev.config);
    this.check(prev.kind, next, this.receiverNamed(prev.receiver));
    const now = this.d.clock.now();
    await this.d.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('receiver_channels')
        .set({ config: this.seal(id, prev.kind, next), updated_at: now })
        .where('id', '=', id)
        .execute();
      await audit(
        trx,
        this.d.clock,
        actor,
        'receiver_channel.update',
        { type: 'receiver_channel', id },
        { ...prev, config: masked(prev.kind, prev.config) },
        { ...prev, config: masked(prev.kind, next), updatedAt: now },
      );
    });
    await this.d.onChange(await this.all());
    return { ...prev, config: masked(prev.kind, next), updatedAt: now };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'write');
    const prev = await this.get(id);
    await this.d.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('receiver_channels').where('id', '=', id).execute();
      await audit(
        trx,
        this.d.clock,
        actor,
        'receiver_channel.delete',
        { type: 'receiver_channel', id },
        { ...prev, config: masked(prev.kind, prev.config) },
        null,
      );
    });
    await this.d.onChange(await this.all());
  }
}
