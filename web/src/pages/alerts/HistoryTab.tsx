import { Badge, Button, DatePicker, Flex, Segmented, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState, type HTMLAttributes, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type AlertEpisode, type GettableAlert } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDuration } from '../../format';
import { useApi } from '../../session';
import { isTier, severityOf, type AlertFilters, type HistoryState } from './alert-model';
import { AbsoluteTime, PlaceTags, SeverityTag, Summary } from './cells';

const PAGE = 50;

type Range = [Dayjs, Dayjs];

/** Firing episodes, newest first, a page at a time; filtered by the shared filters, a time range and state. */
export function HistoryTab({
  filters,
  exprs,
  onChange,
  onFilterError,
  onOpen,
}: {
  filters: AlertFilters;
  exprs: readonly string[];
  onChange: (patch: Partial<AlertFilters>) => void;
  onFilterError: (e: unknown) => void;
  onOpen: (a: GettableAlert) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [items, setItems] = useState<AlertEpisode[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined); // undefined: first page not loaded
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const latest = useRef(0);
  const key = JSON.stringify({ exprs, state: filters.state, from: filters.from, to: filters.to });

  const load = useCallback(
    async (before: number | undefined) => {
      const id = ++latest.current;
      const q = JSON.parse(key) as {
        exprs: string[];
        state: HistoryState | null;
        from: string | null;
        to: string | null;
      };
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.alertHistory({
          limit: PAGE,
          matchers: q.exprs,
          ...(q.state === null ? {} : { state: q.state }),
          ...(q.from === null ? {} : { from: q.from }),
          ...(q.to === null ? {} : { to: q.to }),
          ...(before === undefined ? {} : { before }),
        });
        if (id !== latest.current) return;
        setItems((prev) => (before === undefined ? page.items : [...prev, ...page.items]));
        setNext(page.nextBefore);
        setNow(Date.now());
        if (before === undefined) onFilterError(undefined);
      } catch (e) {
        if (id !== latest.current) return;
        if (e instanceof ApiError && e.status === 400) {
          setItems([]);
          setNext(undefined);
          onFilterError(e);
        } else setError(e);
      } finally {
        if (id === latest.current) setLoading(false);
      }
    },
    [api, key, onFilterError],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  // Either end may be open: from a time until now, or everything up to a time.
  const range: [Dayjs | null, Dayjs | null] | null =
    filters.from === null && filters.to === null
      ? null
      : [filters.from === null ? null : dayjs(filters.from), filters.to === null ? null : dayjs(filters.to)];
  const last = (amount: number, unit: 'hour' | 'day'): Range => [dayjs().subtract(amount, unit), dayjs()];

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 8 }}>
        <DatePicker.RangePicker
          size="small"
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={range}
          allowEmpty={[true, true]}
          presets={[
            { label: t('alerts.last1h'), value: () => last(1, 'hour') },
            { label: t('alerts.last24h'), value: () => last(24, 'hour') },
            { label: t('alerts.last7d'), value: () => last(7, 'day') },
            { label: t('alerts.last30d'), value: () => last(30, 'day') },
          ]}
          onChange={(v) =>
            onChange({
              from: v?.[0]?.toISOString() ?? null,
              to: v?.[1]?.toISOString() ?? null,
            })
          }
          data-testid="history-range"
        />
        <Space size={6}>
          <Typography.Text type="secondary">{t('alerts.historyState')}</Typography.Text>
          <Segmented<HistoryState | 'all'>
            size="small"
            value={filters.state ?? 'all'}
            onChange={(v) => onChange({ state: v === 'all' ? null : v })}
            options={[
              { value: 'all', label: t('alerts.stateAll') },
              { value: 'firing', label: t('alerts.state.firing') },
              { value: 'resolved', label: t('alerts.state.resolved') },
            ]}
            data-testid="history-state"
          />
        </Space>
      </Flex>
      {error !== undefined && <ErrorAlert error={error} testId="history-error" />}
      <Table<AlertEpisode>
        size="small"
        rowKey="episodeId"
        data-testid="history-table"
        loading={loading && items.length === 0}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: loading ? ' ' : t('alerts.historyEmpty') }}
        onRow={(e) =>
          ({
            onClick: () => onOpen(e.alert),
            tabIndex: 0,
            onKeyDown: (k: KeyboardEvent) => {
              if (k.key === 'Enter' && k.target === k.currentTarget) onOpen(e.alert);
            },
            style: { cursor: 'pointer' },
            'data-testid': 'history-row',
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('alerts.col.severity'),
            key: 'severity',
            width: 64,
            render: (_, e) => (
              <SeverityTag
                tier={isTier(e.severity) ? e.severity : severityOf(e.alert.labels)}
                raw={e.alert.labels.severity}
              />
            ),
          },
          {
            title: t('alerts.col.alertname'),
            key: 'alertname',
            render: (_, e) => (
              <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                {e.alert.labels.alertname ?? '—'}
              </Typography.Text>
            ),
          },
          { title: t('alerts.col.summary'), key: 'summary', render: (_, e) => <Summary alert={e.alert} /> },
          {
            title: t('alerts.col.place'),
            key: 'place',
            render: (_, e) => <PlaceTags labels={e.alert.labels} />,
          },
          {
            title: t('alerts.col.firedAt'),
            key: 'firedAt',
            render: (_, e) => <AbsoluteTime iso={e.firedAt} now={now} />,
          },
          {
            title: t('alerts.col.resolvedAt'),
            key: 'resolvedAt',
            render: (_, e) =>
              e.resolvedAt === null ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <AbsoluteTime iso={e.resolvedAt} now={now} />
              ),
          },
          {
            title: t('alerts.col.duration'),
            key: 'duration',
            render: (_, e) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                {formatDuration(
                  (e.resolvedAt === null ? now : Date.parse(e.resolvedAt)) - Date.parse(e.firedAt),
                  i18n.language,
                )}
              </span>
            ),
          },
          {
            title: t('alerts.col.state'),
            key: 'state',
            render: (_, e) => (
              <Badge
                status={e.state === 'firing' ? 'error' : 'success'}
                text={t(`alerts.state.${e.state}`)}
                style={{ whiteSpace: 'nowrap' }}
              />
            ),
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 12 }}>
        {typeof next === 'number' ? (
          <Button loading={loading} onClick={() => void load(next)} data-testid="history-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          next === null &&
          items.length > 0 && <Typography.Text type="secondary">{t('alerts.historyEnd')}</Typography.Text>
        )}
      </Flex>
    </>
  );
}
