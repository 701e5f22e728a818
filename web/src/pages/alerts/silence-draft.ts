// What the silence dialog starts from, and its form values to and from the API. No React here.
import dayjs, { type Dayjs } from 'dayjs';
import type { GettableAlert, Silence, SilenceInput } from '../../api';
import { exactMatchers, fromSilenceMatcher, toSilenceMatcher, type MatcherRow } from './alert-model';

/**
 * Where a silence dialog starts: an alert's labels, an empty form (or given matchers), an existing silence
 * to change, or an expired one to create again with the same matchers, comment and length.
 */
export type SilenceDraft =
  | { kind: 'alert'; alert: GettableAlert }
  | { kind: 'new'; matchers?: MatcherRow[] }
  | { kind: 'edit'; silence: Silence }
  | { kind: 'recreate'; silence: Silence };

export const DURATIONS = { '1h': 3_600_000, '4h': 4 * 3_600_000, '1d': 86_400_000 } as const;
export type Duration = keyof typeof DURATIONS | 'custom';

export interface SilenceForm {
  matchers: MatcherRow[];
  /** null: starts when saved. */
  startsAt: Dayjs | null;
  duration: Duration;
  endsAt?: Dayjs | null;
  createdBy: string;
  comment: string;
  reason: string;
}

const EMPTY_ROW: MatcherRow = { name: '', op: '=', value: '' };

/** The form's first values for `draft`; `now` decides a recreated silence's end (same length as before). */
export function initialForm(draft: SilenceDraft, username: string, now: number): SilenceForm {
  const base = { startsAt: null, duration: '1h' as Duration, endsAt: null, createdBy: username, reason: '' };
  switch (draft.kind) {
    case 'alert':
      return { ...base, matchers: exactMatchers(draft.alert.labels), comment: '' };
    case 'new':
      return { ...base, matchers: draft.matchers ?? [EMPTY_ROW], comment: '' };
    case 'edit': {
      const s = draft.silence;
      return {
        matchers: s.matchers.map(fromSilenceMatcher),
        startsAt: dayjs(s.startsAt),
        duration: 'custom',
        endsAt: dayjs(s.endsAt),
        createdBy: s.createdBy,
        comment: s.comment,
        reason: s.reason ?? '',
      };
    }
    case 'recreate': {
      const s = draft.silence;
      const length = Math.max(Date.parse(s.endsAt) - Date.parse(s.startsAt), 60_000);
      const preset = (Object.keys(DURATIONS) as (keyof typeof DURATIONS)[]).find(
        (d) => DURATIONS[d] === length,
      );
      return {
        ...base,
        matchers: s.matchers.map(fromSilenceMatcher),
        duration: preset ?? 'custom',
        endsAt: preset === undefined ? dayjs(now + length) : null,
        comment: s.comment,
        reason: s.reason ?? '',
      };
    }
  }
}

/** When the silence ends: the chosen end, or the preset length from its start. */
export const endOf = (v: Pick<SilenceForm, 'duration' | 'endsAt'>, start: number): number | null =>
  v.duration === 'custom' ? (v.endsAt?.valueOf() ?? null) : start + DURATIONS[v.duration];

/** The body for `POST /api/v1/silences`; with the id of the silence being edited. */
export function toInput(v: SilenceForm, start: number, end: number, id: string | undefined): SilenceInput {
  const reason = v.reason.trim();
  return {
    ...(id === undefined ? {} : { id }),
    matchers: v.matchers.map((m) => toSilenceMatcher({ ...m, name: m.name.trim() })),
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(end).toISOString(),
    createdBy: v.createdBy.trim(),
    comment: v.comment.trim(),
    reason: reason === '' ? null : reason,
  };
}
