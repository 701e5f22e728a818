import { CalendarOutlined, FilterOutlined, PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Input, Space, Tabs } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, SILENCE_STATES, type SilenceSaved, type SilenceState } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useDayjsLocale } from '../../hooks/use-dayjs-locale';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { canSilence } from '../alerts/alert-model';
import { FilterError } from '../alerts/FilterBar';
import { countByState, readView, writeView, type SilencesView } from './silence-model';
import { useSilenceActions } from './SilenceActions';
import { SilencesTable } from './SilencesTable';

const FILTER_EXAMPLE = 'service="erp"';

/**
 * /silences: every silence by state (active, pending, expired) with counts, filtered by matchers kept in the
 * URL; the firing alerts each one mutes; create, edit, expire and recreate for responders and above.
 */
export default function SilencesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  useDayjsLocale();
  const [query, setQuery] = useSearchParams();
  const view = useMemo(() => readView(query), [query]);
  const [draft, setDraft] = useState(view.filter);
  useEffect(() => setDraft(view.filter), [view.filter]);
  const [actionError, setActionError] = useState<unknown>(null);

  const filter = view.filter.trim();
  const silences = useLoad(useCallback(() => api.listSilences(filter === '' ? [] : [filter]), [api, filter]));
  const firing = useLoad(useCallback(() => api.firingAlerts([]), [api]));
  const change = (patch: Partial<SilencesView>) =>
    setQuery(writeView({ ...view, ...patch }), { replace: true });

  const onChanged = (saved: SilenceSaved | null) => {
    setActionError(null);
    silences.reload();
    firing.reload();
    // A new silence that is not in the tab shown: show its tab.
    if (saved !== null && saved.silence.status.state !== view.state)
      change({ state: saved.silence.status.state });
  };
  const actions = useSilenceActions(onChanged, setActionError);
  const writable = canSilence(user.role);

  const items = silences.data?.items ?? [];
  const counts = countByState(items);
  const filterError =
    silences.error instanceof ApiError && silences.error.status === 400 ? silences.error : undefined;

  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Link to="/maintenance">
              <Button icon={<CalendarOutlined />} data-testid="silences-maintenance-link">
                {t('nav.maintenance')}
              </Button>
            </Link>
            {writable && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => actions.open({ kind: 'new' })}
                data-testid="silence-new"
              >
                {t('silences.new')}
              </Button>
            )}
          </Space>
        }
      >
        {t('nav.silences')}
      </PageTitle>
      <Flex gap={8} style={{ marginBottom: 12, maxWidth: 640 }}>
        <Space.Compact style={{ flex: 1 }}>
          <Input
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              if (e.type === 'click' && e.target.value === '') change({ filter: '' });
            }}
            onPressEnter={() => change({ filter: draft })}
            allowClear
            status={filterError !== undefined ? 'error' : ''}
            prefix={<FilterOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />}
            placeholder={FILTER_EXAMPLE}
            aria-label={t('silences.filter')}
            title={t('silences.filterHelp')}
            spellCheck={false}
            autoComplete="off"
            style={{ fontFamily: 'monospace' }}
            data-testid="silences-filter"
          />
          <Button onClick={() => change({ filter: draft })} data-testid="silences-filter-apply">
            {t('alerts.apply')}
          </Button>
        </Space.Compact>
      </Flex>
      {filterError !== undefined && <FilterError error={filterError} matchers={filter} />}
      {silences.error !== undefined && filterError === undefined && <ErrorAlert error={silences.error} />}
      {actionError !== null && (
        <ErrorAlert error={actionError} testId="silences-action-error" onClose={() => setActionError(null)} />
      )}
      <Tabs
        activeKey={view.state}
        onChange={(state) => change({ state: state as SilenceState })}
        items={SILENCE_STATES.map((state) => ({
          key: state,
          label: (
            <span data-testid={`silences-tab-${state}`}>
              {t(`silences.state.${state}`)}
              {silences.data !== undefined && (
                <Badge
                  count={counts[state]}
                  showZero
                  overflowCount={9999}
                  color={state === 'active' ? '#52c41a' : state === 'pending' ? '#1677ff' : '#bfbfbf'}
                  style={{ marginInlineStart: 6 }}
                  data-testid={`silences-count-${state}`}
                />
              )}
            </span>
          ),
        }))}
      />
      <SilencesTable
        silences={items.filter((s) => s.status.state === view.state)}
        firing={firing.data}
        loading={silences.loading}
        actions={writable ? actions : undefined}
      />
      {actions.modal}
    </>
  );
}
