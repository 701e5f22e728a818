import { SendOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receiver, ReceiverChannel } from '../../api';
import { ChannelRowActions, SourceTag } from './ChannelActions';
import { isEditable } from './ChannelModal';
import { HealthTags, KindTag, Last24h, RateLimitText } from './receiver-cells';
import { sendingKey, type TestMessages } from './TestMessages';

function Mentions({ m }: { m: ReceiverChannel['mentions'] }) {
  const { t } = useTranslation();
  const who = [...(m.all ? [t('receivers.mentionAll')] : []), ...m.mobiles, ...m.userIds];
  if (who.length === 0) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t('receivers.mentions', { who: who.join(', ') })}
    </Typography.Text>
  );
}

/**
 * A receiver's channels: kind, id and where it comes from (the file, or added here), target (endpoint and the
 * credential's last 4 characters, never a secret), health, rate limit, the last 24 hours; a test button when
 * `tests` is given, and Edit / Remove on the channels added here when `onChanged` is (editors and up).
 */
export function ChannelsTable({
  receiver,
  now,
  tests,
  onChanged,
}: {
  receiver: Receiver;
  now: number;
  tests: TestMessages | undefined;
  /** Runs after a channel was saved or removed; without it the table is read-only. */
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Table<ReceiverChannel>
      size="small"
      rowKey="id"
      dataSource={receiver.channels}
      pagination={false}
      data-testid="channels-table"
      onRow={(c) =>
        ({
          'data-testid': 'channel-row',
          'data-channel': c.id,
          'data-source': c.source,
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: t('receivers.col.channel'),
          key: 'channel',
          render: (_, c) => (
            <Flex vertical gap={4} align="flex-start">
              <Flex gap={6} align="center">
                <KindTag kind={c.kind} />
                <code data-testid="channel-id">{c.id}</code>
                <SourceTag source={c.source} />
              </Flex>
              {c.sendResolved && (
                <Tooltip title={t('receivers.sendResolvedHint')}>
                  <Tag style={{ marginInlineEnd: 0 }}>{t('receivers.sendResolved')}</Tag>
                </Tooltip>
              )}
            </Flex>
          ),
        },
        {
          title: t('receivers.col.target'),
          key: 'target',
          render: (_, c) => (
            <Flex vertical gap={2}>
              <Typography.Text
                style={{ fontFamily: 'monospace', fontSize: 12, overflowWrap: 'anywhere' }}
                data-testid="channel-target"
              >
                {c.target}
              </Typography.Text>
              <Mentions m={c.mentions} />
            </Flex>
          ),
        },
        {
          title: t('receivers.col.health'),
          key: 'health',
          width: 220,
          render: (_, c) => <HealthTags channel={c} now={now} />,
        },
        {
          title: t('receivers.col.limits'),
          key: 'limits',
          render: (_, c) => <RateLimitText limit={c.rateLimit} />,
        },
        {
          title: t('receivers.col.last24h'),
          key: 'last24h',
          render: (_, c) => <Last24h last={c.last24h} now={now} />,
        },
        ...(tests === undefined && onChanged === undefined
          ? []
          : [
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, c: ReceiverChannel) => (
                  <Space size={8} wrap>
                    {tests !== undefined && (
                      <Button
                        size="small"
                        icon={<SendOutlined />}
                        loading={tests.sending === sendingKey(receiver.name, c.id)}
                        disabled={tests.sending !== null}
                        onClick={() => tests.send(receiver.name, c.id)}
                        data-testid="channel-test"
                      >
                        {t('receivers.test.one')}
                      </Button>
                    )}
                    {onChanged !== undefined && isEditable(c) && (
                      <ChannelRowActions receiver={receiver} channel={c} onChanged={onChanged} />
                    )}
                  </Space>
                ),
              },
            ]),
      ]}
    />
  );
}
