import {
  AlertOutlined,
  ApiOutlined,
  CommentOutlined,
  DingtalkOutlined,
  ExperimentOutlined,
  MailOutlined,
  MergeOutlined,
  MobileOutlined,
  SendOutlined,
  SlackOutlined,
  WechatWorkOutlined,
} from '@ant-design/icons';
import { Flex, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Delivery, ReceiverChannel } from '../../api';
import { formatRelative, formatTime } from '../../format';
import { channelHealth, isDigest, isTestDelivery } from './receivers-model';

const KINDS = [
  'dingtalk',
  'wecom',
  'feishu',
  'email',
  'sms',
  'webhook',
  'slack',
  'telegram',
  'pagerduty',
] as const;
type Kind = (typeof KINDS)[number];
const isKind = (k: string): k is Kind => KINDS.some((x) => x === k);

const KIND_STYLES: Record<Kind, { icon: ReactNode; color: string }> = {
  dingtalk: { icon: <DingtalkOutlined />, color: 'blue' },
  wecom: { icon: <WechatWorkOutlined />, color: 'green' },
  feishu: { icon: <CommentOutlined />, color: 'cyan' },
  email: { icon: <MailOutlined />, color: 'gold' },
  sms: { icon: <MobileOutlined />, color: 'orange' },
  webhook: { icon: <ApiOutlined />, color: 'purple' },
  slack: { icon: <SlackOutlined />, color: 'magenta' },
  telegram: { icon: <SendOutlined />, color: 'geekblue' },
  pagerduty: { icon: <AlertOutlined />, color: 'volcano' },
};

/** The channel's kind as an icon and a name ("DingTalk" / "钉钉"); a kind the server adds later shows as is. */
export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  const style = isKind(kind) ? KIND_STYLES[kind] : undefined;
  return (
    <Tag icon={style?.icon} color={style?.color} style={{ marginInlineEnd: 0 }} data-testid="channel-kind">
      {isKind(kind) ? t(`receivers.kinds.${kind}`) : kind}
    </Tag>
  );
}

/** Green "delivering", red "failing since … (N failed attempts in a row)", orange "throttled until …". */
export function HealthTags({ channel, now }: { channel: ReceiverChannel; now: number }) {
  const { t, i18n } = useTranslation();
  const time = (iso: string | null) => (iso === null ? '—' : formatTime(iso, i18n.language));
  return (
    <Flex vertical gap={4} align="flex-start" data-testid="channel-health">
      {channelHealth(channel, now).map((h) => {
        switch (h.kind) {
          case 'delivering':
            return (
              <Tag key={h.kind} color="success" data-health={h.kind}>
                {t('receivers.health.delivering')}
              </Tag>
            );
          case 'failing':
            return (
              <Tag key={h.kind} color="error" data-health={h.kind} style={{ whiteSpace: 'normal' }}>
                {t('receivers.health.failing', { since: time(h.since), count: h.failures })}
              </Tag>
            );
          case 'throttled':
            return (
              <Tag key={h.kind} color="warning" data-health={h.kind} style={{ whiteSpace: 'normal' }}>
                {t('receivers.health.throttled', { until: time(h.until) })}
              </Tag>
            );
        }
      })}
    </Flex>
  );
}

/** "20/min", "5/s · 100/min", or "No limit". */
export function RateLimitText({ limit }: { limit: ReceiverChannel['rateLimit'] }) {
  const { t } = useTranslation();
  const parts = [
    ...(limit.perSecond === null ? [] : [t('receivers.limits.perSecond', { count: limit.perSecond })]),
    ...(limit.perMinute === null ? [] : [t('receivers.limits.perMinute', { count: limit.perMinute })]),
  ];
  if (parts.length === 0)
    return <Typography.Text type="secondary">{t('receivers.limits.none')}</Typography.Text>;
  return <span style={{ whiteSpace: 'nowrap' }}>{parts.join(' · ')}</span>;
}

/** "3 ok · 1 failed", and when the last attempt was. */
export function Last24h({ last, now }: { last: ReceiverChannel['last24h']; now: number }) {
  const { t, i18n } = useTranslation();
  if (last.ok === 0 && last.failed === 0)
    return <Typography.Text type="secondary">{t('receivers.last24h.none')}</Typography.Text>;
  return (
    <Flex vertical gap={0} data-testid="channel-last24h">
      <span style={{ whiteSpace: 'nowrap' }}>
        <Typography.Text type="success">{t('receivers.last24h.ok', { count: last.ok })}</Typography.Text>
        {' · '}
        <Typography.Text type={last.failed > 0 ? 'danger' : 'secondary'}>
          {t('receivers.last24h.failed', { count: last.failed })}
        </Typography.Text>
      </span>
      {last.lastAt !== null && (
        <Tooltip title={formatTime(last.lastAt, i18n.language)}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('receivers.last24h.lastAt', { time: formatRelative(last.lastAt, i18n.language, now) })}
          </Typography.Text>
        </Tooltip>
      )}
    </Flex>
  );
}

/** OK (green) or Failed (red), with a "Test" badge for test messages and "Digest ×N" for merged ones. */
export function DeliveryOutcome({ delivery: d }: { delivery: Delivery }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      <Tag color={d.ok ? 'success' : 'error'} style={{ marginInlineEnd: 0 }} data-testid="delivery-outcome">
        {t(d.ok ? 'deliveries.ok' : 'deliveries.failed')}
      </Tag>
      {isTestDelivery(d) && (
        <Tooltip title={t('deliveries.testHint')}>
          <Tag icon={<ExperimentOutlined />} style={{ marginInlineEnd: 0 }} data-testid="delivery-test">
            {t('deliveries.test')}
          </Tag>
        </Tooltip>
      )}
      {isDigest(d) && (
        <Tooltip title={t('deliveries.digestHint')}>
          <Tag
            icon={<MergeOutlined />}
            color="purple"
            style={{ marginInlineEnd: 0 }}
            data-testid="delivery-digest"
          >
            {t('deliveries.digest', { count: d.merged })}
          </Tag>
        </Tooltip>
      )}
    </Flex>
  );
}

/** The provider's own code and the HTTP status, as far as known. */
export function ProviderCode({ status, code }: { status: number | null; code: string | null }) {
  const { t } = useTranslation();
  const parts = [
    ...(code === null ? [] : [code]),
    ...(status === null ? [] : [t('receivers.test.http', { status })]),
  ];
  if (parts.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return <code style={{ whiteSpace: 'nowrap' }}>{parts.join(' · ')}</code>;
}
