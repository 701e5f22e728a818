import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Spin, Tabs } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { AddChannelButton } from './ChannelActions';
import { ChannelsTable } from './ChannelsTable';
import { DeliveryLog } from './DeliveryLog';
import { FileHint, ReceiverTags, TestAllButton } from './ReceiverHeader';
import { TemplateEditor } from './TemplateEditor';
import { canSendTests, useTestMessages } from './TestMessages';
import { UnusedChannels } from './UnusedChannels';

const TABS = ['channels', 'deliveries', 'templates'] as const;
type Tab = (typeof TABS)[number];
const isTab = (s: string | null): s is Tab => TABS.some((t) => t === s);

/**
 * /receivers/:name: one receiver's channels (for editors and up with test messages, and adding, editing and
 * removing the channels added here), its delivery log, and the template editor with a live preview
 * (?tab=deliveries, ?tab=templates).
 */
export default function ReceiverDetailPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { name = '' } = useParams();
  const [query, setQuery] = useSearchParams();
  const asked = query.get('tab');
  const tab: Tab = isTab(asked) ? asked : 'channels';
  const receivers = useLoad(useCallback(() => api.listReceivers(), [api]));
  const tests = useTestMessages(receivers.reload);
  const list = receivers.data?.receivers ?? [];
  const r = list.find((x) => x.name === name);
  const writable = canSendTests(user.role);

  const back = (
    <Link to="/receivers">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        style={{ paddingInline: 0 }}
        data-testid="receiver-back"
      >
        {t('receivers.back')}
      </Button>
    </Link>
  );

  if (receivers.data !== undefined && r === undefined)
    return (
      <>
        {back}
        <Result
          status="404"
          title={t('receivers.notFound')}
          subTitle={<code>{name}</code>}
          data-testid="receiver-not-found"
        />
      </>
    );

  const content = (k: Tab) => {
    if (r === undefined) return null;
    switch (k) {
      case 'channels':
        return (
          <>
            {tests.panel}
            {writable && (
              <Flex justify="flex-end" style={{ marginBottom: 12 }}>
                <AddChannelButton receiver={r} onChanged={receivers.reload} />
              </Flex>
            )}
            <UnusedChannels
              receiver={r.name}
              channels={r.unusedChannels}
              onChanged={writable ? receivers.reload : undefined}
            />
            <ChannelsTable
              receiver={r}
              now={Date.now()}
              tests={writable ? tests : undefined}
              onChanged={writable ? receivers.reload : undefined}
            />
          </>
        );
      case 'deliveries':
        return <DeliveryLog receivers={[r]} receiver={r.name} />;
      case 'templates':
        return <TemplateEditor receiver={r} />;
    }
  };

  return (
    <>
      {back}
      <PageTitle
        extra={
          r !== undefined &&
          tab === 'channels' && <TestAllButton receiver={r} tests={writable ? tests : undefined} />
        }
      >
        <Flex align="center" gap={10} wrap>
          <span data-testid="receiver-name">{name}</span>
          {r !== undefined && <ReceiverTags receiver={r} />}
        </Flex>
      </PageTitle>
      <FileHint />
      {receivers.error !== undefined && <ErrorAlert error={receivers.error} testId="receivers-error" />}
      {r === undefined ? (
        receivers.loading && <Spin />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setQuery(k === 'channels' ? {} : { tab: k }, { replace: true })}
          destroyOnHidden
          items={TABS.map((k) => ({
            key: k,
            label: <span data-testid={`receiver-tab-${k}`}>{t(`receivers.tabs.${k}`)}</span>,
            children: k === tab ? content(k) : null,
          }))}
        />
      )}
    </>
  );
}
