import { Badge, Tabs } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, type GettableAlert } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { useDayjsLocale } from '../../hooks/use-dayjs-locale';
import { useUser } from '../../session';
import {
  canSilence,
  filterExpressions,
  hasLabelFilters,
  readFilters,
  writeFilters,
  type AlertFilters,
  type AlertsTab,
} from './alert-model';
import { AlertDrawer } from './AlertDrawer';
import { FilterBar } from './FilterBar';
import { FiringTab, useFiring } from './FiringTab';
import { HistoryTab } from './HistoryTab';
import { SilenceModal } from './SilenceModal';

/**
 * /alerts: what fires now (refreshed every 10 s) and what fired before, under filters kept in the URL so
 * that a filtered view can be shared; a drawer with everything about one alert; silencing in two clicks.
 */
export default function AlertsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const [query, setQuery] = useSearchParams();
  const filters = useMemo(() => readFilters(query), [query]);
  const exprs = useMemo(() => filterExpressions(filters), [filters]);
  const firing = useFiring(exprs);
  const [historyFilterError, setHistoryFilterError] = useState<unknown>(undefined);
  const [drawer, setDrawer] = useState<{ alert: GettableAlert | null; open: boolean }>({
    alert: null,
    open: false,
  });
  const [silencing, setSilencing] = useState<{ alert: GettableAlert | null; open: boolean }>({
    alert: null,
    open: false,
  });

  useDayjsLocale();

  const change = useCallback(
    (patch: Partial<AlertFilters>) => setQuery(writeFilters({ ...filters, ...patch }), { replace: true }),
    [filters, setQuery],
  );
  const onHistoryFilterError = useCallback((e: unknown) => setHistoryFilterError(e), []);

  const firingFilterError =
    firing.error instanceof ApiError && firing.error.status === 400 ? firing.error : undefined;
  const filterError = filters.tab === 'firing' ? firingFilterError : historyFilterError;
  const alerts = firing.snapshot?.alerts ?? [];
  const seenServices = useMemo(
    () => [...new Set(alerts.map((a) => a.labels.service ?? '').filter((s) => s !== ''))],
    [alerts],
  );

  // The drawer follows the refreshed list: a silence just created shows there at the next answer.
  const fresh = drawer.alert && alerts.find((a) => a.fingerprint === drawer.alert?.fingerprint);
  const shown = fresh ?? drawer.alert;

  const openAlert = useCallback((alert: GettableAlert) => setDrawer({ alert, open: true }), []);
  const silence = canSilence(user.role)
    ? (alert: GettableAlert) => setSilencing({ alert, open: true })
    : undefined;

  return (
    <>
      <PageTitle>{t('nav.alerts')}</PageTitle>
      <FilterBar filters={filters} onChange={change} seenServices={seenServices} error={filterError} />
      <Tabs
        activeKey={filters.tab}
        onChange={(tab) => change({ tab: tab as AlertsTab })}
        items={[
          {
            key: 'firing',
            label: (
              <span data-testid="alerts-tab-firing">
                {t('alerts.tabFiring')}
                {firing.snapshot !== undefined && (
                  <Badge
                    count={alerts.length}
                    showZero
                    overflowCount={9999}
                    color={alerts.length === 0 ? '#52c41a' : '#f5222d'}
                    style={{ marginInlineStart: 6 }}
                    data-testid="alerts-firing-count"
                  />
                )}
              </span>
            ),
            children: (
              <FiringTab
                firing={firing}
                filtered={hasLabelFilters(filters)}
                groupBy={filters.group}
                onGroupBy={(group) => change({ group })}
                onClearFilters={() => change({ severities: [], services: [], matchers: '' })}
                onOpen={openAlert}
                onSilence={silence}
              />
            ),
          },
          {
            key: 'history',
            label: <span data-testid="alerts-tab-history">{t('alerts.tabHistory')}</span>,
            children: (
              <HistoryTab
                filters={filters}
                exprs={exprs}
                onChange={change}
                onFilterError={onHistoryFilterError}
                onOpen={openAlert}
              />
            ),
          },
        ]}
      />
      <AlertDrawer
        alert={shown}
        open={drawer.open}
        firing={alerts}
        onClose={() => setDrawer((d) => ({ ...d, open: false }))}
        onSilence={silence}
        onOpenFingerprint={openAlert}
      />
      <SilenceModal
        alert={silencing.alert}
        open={silencing.open}
        onClose={() => setSilencing((s) => ({ ...s, open: false }))}
        onCreated={() => firing.reload()}
      />
    </>
  );
}
