import { Flex, Spin, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';
import { DeliveryOutcome } from '../receivers/receiver-cells';
import { AbsoluteTime } from './cells';

/**
 * The alert drawer's "Deliveries": the last 20 attempts to deliver a notification that listed this alert
 * (`GET /api/v1/deliveries?fingerprint=`), each with its time, receiver and channel, outcome and message.
 */
export function AlertDeliveries({ fingerprint }: { fingerprint: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const loaded = useLoad(
    useCallback(() => api.listDeliveries({ fingerprint, limit: 20 }), [api, fingerprint]),
  );
  const now = Date.now();
  if (loaded.error !== undefined) return <ErrorAlert error={loaded.error} testId="alert-deliveries-error" />;
  if (loaded.data === undefined) return <Spin size="small" />;
  const items = loaded.data.deliveries;
  if (items.length === 0)
    return (
      <Typography.Text type="secondary" data-testid="alert-deliveries-none">
        {t('deliveries.forAlertEmpty')}
      </Typography.Text>
    );
  return (
    <Flex vertical gap={8} data-testid="alert-deliveries">
      {items.map((d) => (
        <div
          key={d.id}
          data-testid="alert-delivery"
          data-ok={String(d.ok)}
          style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 6 }}
        >
          <Flex gap={8} align="center" wrap>
            <AbsoluteTime iso={d.at} now={now} />
            {d.receiver === null ? (
              '—'
            ) : (
              <Link to={`/receivers/${encodeURIComponent(d.receiver)}?tab=deliveries`}>{d.receiver}</Link>
            )}
            <code>{d.channel ?? '—'}</code>
            <DeliveryOutcome delivery={d} />
          </Flex>
          <Typography.Text
            type={d.ok ? 'secondary' : 'danger'}
            style={{ fontSize: 12, wordBreak: 'break-word' }}
          >
            {d.message}
          </Typography.Text>
        </div>
      ))}
    </Flex>
  );
}
