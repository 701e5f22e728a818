import { Table, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Delivery } from '../../api';
import { AbsoluteTime } from '../alerts/cells';
import { DeliveryOutcome, ProviderCode } from './receiver-cells';

/**
 * Delivery attempts, newest first: time, receiver and channel, outcome (with test and digest badges), the
 * provider's code, its message, how many alerts the notification listed, and how long the attempt took.
 */
export function DeliveriesTable({
  deliveries,
  loading,
  showReceiver,
  now,
}: {
  deliveries: readonly Delivery[];
  loading: boolean;
  showReceiver: boolean;
  now: number;
}) {
  const { t } = useTranslation();
  return (
    <Table<Delivery>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={[...deliveries]}
      pagination={false}
      data-testid="deliveries-table"
      locale={{ emptyText: t('deliveries.empty') }}
      onRow={(d) =>
        ({
          'data-testid': 'delivery-row',
          'data-channel': d.channel ?? '',
          'data-ok': String(d.ok),
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: t('deliveries.col.at'), key: 'at', render: (_, d) => <AbsoluteTime iso={d.at} now={now} /> },
        ...(showReceiver
          ? [
              {
                title: t('deliveries.col.receiver'),
                key: 'receiver',
                render: (_: unknown, d: Delivery) =>
                  d.receiver === null ? (
                    '—'
                  ) : (
                    <Link to={`/receivers/${encodeURIComponent(d.receiver)}`}>{d.receiver}</Link>
                  ),
              },
            ]
          : []),
        {
          title: t('deliveries.col.channel'),
          key: 'channel',
          render: (_, d) => <code>{d.channel ?? '—'}</code>,
        },
        {
          title: t('deliveries.col.outcome'),
          key: 'outcome',
          render: (_, d) => <DeliveryOutcome delivery={d} />,
        },
        {
          title: t('deliveries.col.provider'),
          key: 'provider',
          render: (_, d) => <ProviderCode status={d.status} code={d.providerCode} />,
        },
        {
          title: t('deliveries.col.message'),
          key: 'message',
          render: (_, d) => (
            <Typography.Text
              ellipsis={{ tooltip: d.message }}
              style={{ maxWidth: 360 }}
              type={d.ok ? undefined : 'danger'}
              data-testid="delivery-message"
            >
              {d.message || '—'}
            </Typography.Text>
          ),
        },
        {
          title: t('deliveries.col.alerts'),
          key: 'alerts',
          align: 'right',
          render: (_, d) => d.alertCount ?? '—',
        },
        {
          title: t('deliveries.col.duration'),
          key: 'duration',
          align: 'right',
          render: (_, d) => <span style={{ whiteSpace: 'nowrap' }}>{d.durationMs} ms</span>,
        },
      ]}
    />
  );
}
