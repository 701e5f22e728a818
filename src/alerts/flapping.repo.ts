import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

const CHUNK = 500;

export const flappingRepo = {
  /** The firing episodes of these alerts that started or ended at or after `since`. */
  async episodesSince(
    ex: Kysely<DB>,
    fingerprints: readonly string[],
    since: number,
  ): Promise<Map<string, { startedAt: number; endedAt: number | null }[]>> {
    const out = new Map<string, { startedAt: number; endedAt: number | null }[]>();
    for (let i = 0; i < fingerprints.length; i += CHUNK) {
      const rows = await ex
        .selectFrom('alert_episodes')
        .select(['fingerprint', 'started_at', 'ended_at'])
        .where('fingerprint', 'in', fingerprints.slice(i, i + CHUNK))
        .where((eb) => eb.or([eb('started_at', '>=', since), eb('ended_at', '>=', since)]))
        .execute();
      for (const r of rows) {
        const list = out.get(r.fingerprint) ?? [];
        list.push({ startedAt: r.started_at, endedAt: r.ended_at });
        out.set(r.fingerprint, list);
      }
    }
    return out;
  },
};
