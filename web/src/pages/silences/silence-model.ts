// What the Silences page decides without the server: the view kept in the URL, and how many firing
// alerts a silence mutes. No React here.
import { SILENCE_STATES, type GettableAlert, type Silence, type SilenceState } from '../../api';
import { alertsMatching, formatMatchers, fromSilenceMatcher } from '../alerts/alert-model';

export interface SilencesView {
  state: SilenceState;
  /** Matchers as the user wrote them (`service="erp"` or `{a="b", c=~"d"}`); each must be one of a silence's. */
  filter: string;
}

export function readView(q: URLSearchParams): SilencesView {
  const state = q.get('state');
  return { state: SILENCE_STATES.find((s) => s === state) ?? 'active', filter: q.get('filter') ?? '' };
}

/** The query for `v`, leaving out defaults so that a shared link stays short. */
export function writeView(v: SilencesView): URLSearchParams {
  const q = new URLSearchParams();
  if (v.state !== 'active') q.set('state', v.state);
  if (v.filter.trim() !== '') q.set('filter', v.filter.trim());
  return q;
}

export function countByState(silences: readonly Silence[]): Record<SilenceState, number> {
  const counts: Record<SilenceState, number> = { active: 0, pending: 0, expired: 0 };
  for (const s of silences) counts[s.status.state] += 1;
  return counts;
}

/** The `{a="b", ...}` expression of the silence's matchers, for the Alerts page's filter. */
export const silenceExpression = (s: Silence): string => formatMatchers(s.matchers.map(fromSilenceMatcher));

/** The Alerts page filtered to the silence's matchers. */
export const alertsLink = (s: Silence): string =>
  `/alerts?${new URLSearchParams({ matchers: silenceExpression(s) })}`;

/**
 * The firing alerts the silence concerns now: those it mutes (the server's `silencedBy`) when active, those
 * it will mute (matched here) when pending, none when expired. null when a pattern cannot be read here.
 */
export function alertsOf(s: Silence, firing: readonly GettableAlert[]): GettableAlert[] | null {
  switch (s.status.state) {
    case 'active':
      return firing.filter((a) => a.status.silencedBy.includes(s.id));
    case 'pending':
      try {
        return alertsMatching(firing, s.matchers.map(fromSilenceMatcher));
      } catch {
        return null;
      }
    case 'expired':
      return [];
  }
}
