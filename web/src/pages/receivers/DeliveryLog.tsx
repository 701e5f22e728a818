import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Select, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Delivery, Receiver } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../session';
import { DeliveriesTable } from './DeliveriesTable';

const PAGE = 50;

type Outcome = 'ok' | 'failed';

interface Filters {
  receiver: string | null;
  channel: string | null;
  outcome: Outcome | null;
}

/**
 * The delivery log (`GET /api/v1/deliveries`), newest first, filtered by receiver, channel and outcome, a page
 * at a time with "Older". With `receiver` given, the log of that receiver only (its detail page).
 */
export function DeliveryLog({ receivers, receiver }: { receivers: readonly Receiver[]; receiver?: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [filters, setFilters] = useState<Filters>({
    receiver: receiver ?? null,
    channel: null,
    outcome: null,
  });
  const [items, setItems] = useState<Delivery[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined); // undefined: first page not loaded
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const latest = useRef(0);
  const key = JSON.stringify(filters);

  const load = useCallback(
    async (before: number | undefined) => {
      const id = ++latest.current;
      const f = JSON.parse(key) as Filters;
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.listDeliveries({
          limit: PAGE,
          ...(f.receiver === null ? {} : { receiver: f.receiver }),
          ...(f.channel === null ? {} : { channel: f.channel }),
          ...(f.outcome === null ? {} : { outcome: f.outcome }),
          ...(before === undefined ? {} : { before }),
        });
        if (id !== latest.current) return;
        setItems((prev) => (before === undefined ? page.deliveries : [...prev, ...page.deliveries]));
        setNext(page.next);
        setNow(Date.now());
      } catch (e) {
        if (id === latest.current) setError(e);
      } finally {
        if (id === latest.current) setLoading(false);
      }
    },
    [api, key],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  // The channels of the chosen receiver, or every channel id any receiver has (dingtalk/0 names one per receiver).
  const channelIds = [
    ...new Set(
      receivers
        .filter((r) => filters.receiver === null || r.name === filters.receiver)
        .flatMap((r) => r.channels.map((c) => c.id)),
    ),
  ].sort();

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        {receiver === undefined && (
          <Select<string>
            allowClear
            style={{ minWidth: 180 }}
            placeholder={t('deliveries.allReceivers')}
            aria-label={t('deliveries.receiver')}
            value={filters.receiver ?? undefined}
            onChange={(v) => setFilters((f) => ({ ...f, receiver: v ?? null, channel: null }))}
            options={receivers.map((r) => ({ value: r.name, label: r.name }))}
            data-testid="deliveries-receiver"
          />
        )}
        <Select<string>
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('deliveries.allChannels')}
          aria-label={t('deliveries.channel')}
          value={filters.channel ?? undefined}
          onChange={(v) => setFilters((f) => ({ ...f, channel: v ?? null }))}
          options={channelIds.map((id) => ({ value: id, label: id }))}
          data-testid="deliveries-channel"
        />
        <Segmented<Outcome | 'all'>
          value={filters.outcome ?? 'all'}
          onChange={(v) => setFilters((f) => ({ ...f, outcome: v === 'all' ? null : v }))}
          options={[
            { value: 'all', label: t('deliveries.outcome.all') },
            {
              value: 'ok',
              label: <span data-testid="deliveries-outcome-ok">{t('deliveries.outcome.ok')}</span>,
            },
            {
              value: 'failed',
              label: <span data-testid="deliveries-outcome-failed">{t('deliveries.outcome.failed')}</span>,
            },
          ]}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void load(undefined)}
          data-testid="deliveries-refresh"
        >
          {t('deliveries.refresh')}
        </Button>
      </Flex>
      {error !== undefined && <ErrorAlert error={error} testId="deliveries-error" />}
      <DeliveriesTable deliveries={items} loading={loading} showReceiver={receiver === undefined} now={now} />
      <Flex justify="center" style={{ marginTop: 12 }}>
        {next !== null && next !== undefined ? (
          <Button onClick={() => void load(next)} loading={loading} data-testid="deliveries-older">
            {t('deliveries.older')}
          </Button>
        ) : (
          next === null &&
          items.length > 0 && <Typography.Text type="secondary">{t('deliveries.end')}</Typography.Text>
        )}
      </Flex>
    </>
  );
}
