import { ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Select, Space, Switch, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type GettableAlert } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatTime } from '../../format';
import { useApi } from '../../session';
import { compareAlerts, GROUP_LABELS, type GroupLabel } from './alert-model';
import { AllQuiet } from './AllQuiet';
import { FiringTable } from './FiringTable';

/** How often the firing list is asked again while the page is visible. */
export const REFRESH_MS = 10_000;

interface Snapshot {
  alerts: GettableAlert[];
  at: number;
}

/**
 * The firing alerts matching `exprs`, asked again every 10 s while the browser tab is visible (and at
 * once when it becomes visible again) and on reload(). A newer question's answer always wins: answers
 * to filters no longer shown are dropped.
 */
export function useFiring(exprs: readonly string[]) {
  const api = useApi();
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(exprs);
  const latest = useRef(0);
  const inFlight = useRef(false);

  const load = useCallback(
    async (background: boolean) => {
      if (background && (inFlight.current || document.hidden)) return;
      const id = ++latest.current;
      inFlight.current = true;
      if (!background) setBusy(true);
      try {
        const alerts = await api.firingAlerts(JSON.parse(key) as string[]);
        if (id !== latest.current) return;
        setSnapshot({ alerts: [...alerts].sort(compareAlerts), at: Date.now() });
        setError(undefined);
      } catch (e) {
        if (id !== latest.current) return;
        setError(e);
        // Rows that no longer answer the filters must not stay on screen as if they did.
        if (e instanceof ApiError && e.status === 400) setSnapshot(undefined);
      } finally {
        if (id === latest.current) {
          inFlight.current = false;
          setBusy(false);
        }
      }
    },
    [api, key],
  );

  useEffect(() => {
    void load(false);
    const timer = setInterval(() => void load(true), REFRESH_MS);
    const onVisible = () => {
      if (!document.hidden) void load(true);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  const reload = useCallback(() => void load(false), [load]);
  return { snapshot, error, busy, reload };
}

export function FiringTab({
  firing,
  filtered,
  groupBy,
  onGroupBy,
  onClearFilters,
  onOpen,
  onSilence,
}: {
  firing: ReturnType<typeof useFiring>;
  /** Whether any label filter is on: an empty answer then means "none match", not "all quiet". */
  filtered: boolean;
  groupBy: GroupLabel | null;
  onGroupBy: (g: GroupLabel | null) => void;
  onClearFilters: () => void;
  onOpen: (a: GettableAlert) => void;
  onSilence: ((a: GettableAlert) => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const { snapshot, error, busy, reload } = firing;
  const isFilterError = error instanceof ApiError && error.status === 400;

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Space size={8}>
          <Switch
            size="small"
            checked={groupBy !== null}
            onChange={(on) => onGroupBy(on ? 'alertname' : null)}
            data-testid="group-toggle"
            aria-label={t('alerts.groupBy')}
          />
          <Typography.Text>{t('alerts.groupBy')}</Typography.Text>
          <Select<GroupLabel>
            size="small"
            value={groupBy ?? 'alertname'}
            disabled={groupBy === null}
            onChange={(g) => onGroupBy(g)}
            options={GROUP_LABELS.map((g) => ({ value: g, label: t(`alerts.groupLabel.${g}`) }))}
            style={{ minWidth: 120 }}
            data-testid="group-by"
          />
        </Space>
        <Space size={8}>
          {snapshot !== undefined && (
            <Typography.Text type="secondary" data-testid="alerts-updated">
              {t('alerts.updatedAt', {
                time: formatTime(new Date(snapshot.at).toISOString(), i18n.language),
              })}
            </Typography.Text>
          )}
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={busy}
            onClick={reload}
            title={t('alerts.refreshHint', { seconds: REFRESH_MS / 1000 })}
            data-testid="alerts-refresh"
          >
            {t('alerts.refresh')}
          </Button>
        </Space>
      </Flex>
      {error !== undefined && !isFilterError && <ErrorAlert error={error} testId="alerts-error" />}
      {snapshot !== undefined && snapshot.alerts.length === 0 ? (
        filtered ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={<span data-testid="alerts-none-match">{t('alerts.noneMatch')}</span>}
            style={{ margin: '40px 0' }}
          >
            <Button onClick={onClearFilters}>{t('alerts.clearFilters')}</Button>
          </Empty>
        ) : (
          <AllQuiet />
        )
      ) : (
        !isFilterError && (
          <FiringTable
            alerts={snapshot?.alerts ?? []}
            groupBy={groupBy}
            now={snapshot?.at ?? Date.now()}
            loading={snapshot === undefined && error === undefined}
            onOpen={onOpen}
            onSilence={onSilence}
          />
        )
      )}
    </>
  );
}
