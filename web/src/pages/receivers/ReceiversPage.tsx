import { RightOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Space, Spin, Tabs, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Receiver } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { AddChannelButton } from './ChannelActions';
import { ChannelsTable } from './ChannelsTable';
import { DeliveryLog } from './DeliveryLog';
import { FileHint, ReceiverTags, TestAllButton } from './ReceiverHeader';
import { canSendTests, useTestMessages, type TestMessages } from './TestMessages';
import { UnusedChannels } from './UnusedChannels';

const TABS = ['receivers', 'deliveries'] as const;
type Tab = (typeof TABS)[number];

function ReceiverCard({
  receiver: r,
  now,
  tests,
  onChanged,
}: {
  receiver: Receiver;
  now: number;
  tests: TestMessages | undefined;
  /** For editors and up: channels may be added, edited and removed; runs after each change. */
  onChanged: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      data-testid="receiver-card"
      data-receiver={r.name}
      title={
        <Flex gap={10} align="center" wrap>
          <Link to={`/receivers/${encodeURIComponent(r.name)}`} data-testid="receiver-link">
            <Typography.Text strong style={{ fontSize: 15 }}>
              {r.name}
            </Typography.Text>
          </Link>
          <ReceiverTags receiver={r} />
        </Flex>
      }
      extra={
        <Space>
          {onChanged !== undefined && <AddChannelButton receiver={r} onChanged={onChanged} />}
          <TestAllButton receiver={r} tests={tests} />
          <Link to={`/receivers/${encodeURIComponent(r.name)}`}>
            <Button type="link" icon={<RightOutlined />} iconPlacement="end" data-testid="receiver-open">
              {t('receivers.open')}
            </Button>
          </Link>
        </Space>
      }
    >
      <UnusedChannels receiver={r.name} channels={r.unusedChannels} onChanged={onChanged} />
      <ChannelsTable receiver={r} now={now} tests={tests} onChanged={onChanged} />
    </Card>
  );
}

/**
 * /receivers: every receiver in force (declared in the configuration file) with its channels' health, limits
 * and last 24 hours; for editors and up test messages and adding, editing and removing the channels added here;
 * and the delivery log (?tab=deliveries).
 */
export default function ReceiversPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const [query, setQuery] = useSearchParams();
  const tab: Tab = query.get('tab') === 'deliveries' ? 'deliveries' : 'receivers';
  const receivers = useLoad(useCallback(() => api.listReceivers(), [api]));
  const tests = useTestMessages(receivers.reload);
  const list = receivers.data?.receivers ?? [];
  const orphans = receivers.data?.orphanChannels ?? [];
  const orphanReceivers = [...new Set(orphans.map((c) => c.receiver))];
  const now = Date.now();
  const writable = canSendTests(user.role);

  const receiversTab = (
    <>
      {tests.panel}
      {receivers.error !== undefined && <ErrorAlert error={receivers.error} testId="receivers-error" />}
      {orphanReceivers.map((name) => (
        <UnusedChannels
          key={name}
          receiver={name}
          channels={orphans.filter((c) => c.receiver === name)}
          orphan
          onChanged={writable ? receivers.reload : undefined}
        />
      ))}
      {receivers.data === undefined ? (
        receivers.loading && <Spin />
      ) : list.length === 0 ? (
        <Empty description={t('receivers.empty')} data-testid="receivers-empty" />
      ) : (
        <Flex vertical gap={16}>
          {list.map((r) => (
            <ReceiverCard
              key={r.name}
              receiver={r}
              now={now}
              tests={writable ? tests : undefined}
              onChanged={writable ? receivers.reload : undefined}
            />
          ))}
        </Flex>
      )}
    </>
  );

  return (
    <>
      <PageTitle>{t('nav.receivers')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('receivers.intro')}</Typography.Paragraph>
      <FileHint />
      <Tabs
        activeKey={tab}
        onChange={(k) => setQuery(k === 'receivers' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={TABS.map((k) => ({
          key: k,
          label: <span data-testid={`receivers-tab-${k}`}>{t(`receivers.tabs.${k}`)}</span>,
          children: k === 'receivers' ? receiversTab : <DeliveryLog receivers={list} />,
        }))}
      />
    </>
  );
}
