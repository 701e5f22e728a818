import { Badge, Flex, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GettableAlert, Tier } from '../../api';
import { formatRelative, formatTime } from '../../format';
import { muteState, SEVERITY_COLORS, type MuteState } from './alert-model';

/** P0 red, P1 orange, P2 gold, P3 blue; an alert without a known level shows its raw label, greyed. */
export function SeverityTag({ tier, raw }: { tier: Tier | null; raw?: string | undefined }) {
  const { t } = useTranslation();
  if (tier === null)
    return (
      <Tag data-testid="severity-tag" title={t('alerts.severityUnknown')}>
        {raw ?? t('common.none')}
      </Tag>
    );
  return (
    <Tag
      color={SEVERITY_COLORS[tier]}
      data-testid="severity-tag"
      title={t(`services.tierMeaning.${tier}`)}
      style={{ fontWeight: 600, marginInlineEnd: 0 }}
    >
      {tier}
    </Tag>
  );
}

/** The labels that say where the problem is, for an e-commerce operation: service, platform, store. */
export const PLACE_LABELS = ['service', 'platform', 'store'] as const;
const PLACE_COLORS: Record<(typeof PLACE_LABELS)[number], string | undefined> = {
  service: 'geekblue',
  platform: 'purple',
  store: undefined,
};

export function PlaceTags({ labels }: { labels: Readonly<Record<string, string>> }) {
  const present = PLACE_LABELS.filter((l) => (labels[l] ?? '') !== '');
  if (present.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {present.map((l) => (
        <Tag key={l} color={PLACE_COLORS[l]} title={`${l}="${labels[l]}"`} style={{ marginInlineEnd: 0 }}>
          {labels[l]}
        </Tag>
      ))}
    </Flex>
  );
}

const STATE_BADGES: Record<MuteState, 'error' | 'default' | 'warning' | 'processing'> = {
  firing: 'error',
  silenced: 'default',
  inhibited: 'warning',
  muted: 'default',
};

export function StateBadge({ alert }: { alert: GettableAlert }) {
  const { t } = useTranslation();
  const state = muteState(alert);
  return (
    <Badge
      status={STATE_BADGES[state]}
      text={t(`alerts.state.${state}`)}
      data-testid="alert-state"
      style={{ whiteSpace: 'nowrap' }}
    />
  );
}

/** "12 minutes ago", with the exact time on hover. */
export function RelativeTime({ iso, now }: { iso: string; now: number }) {
  const { i18n } = useTranslation();
  return (
    <Tooltip title={formatTime(iso, i18n.language)}>
      <span style={{ whiteSpace: 'nowrap' }}>{formatRelative(iso, i18n.language, now)}</span>
    </Tooltip>
  );
}

/** The exact time, with "12 minutes ago" on hover. */
export function AbsoluteTime({ iso, now }: { iso: string; now: number }) {
  const { i18n } = useTranslation();
  return (
    <Tooltip title={formatRelative(iso, i18n.language, now)}>
      <span style={{ whiteSpace: 'nowrap' }}>{formatTime(iso, i18n.language)}</span>
    </Tooltip>
  );
}

export function Receivers({ receivers }: { receivers: readonly { name: string }[] }) {
  if (receivers.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {receivers.map((r) => (
        <Tag key={r.name} style={{ marginInlineEnd: 0 }}>
          {r.name}
        </Tag>
      ))}
    </Flex>
  );
}

/** The summary annotation (or, lacking one, the description), on one line. */
export function Summary({ alert }: { alert: GettableAlert }) {
  const text = alert.annotations.summary ?? alert.annotations.description ?? '';
  if (text === '') return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 420 }}>
      {text}
    </Typography.Text>
  );
}
