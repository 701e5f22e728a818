import { ClearOutlined, FilterOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, TIERS, type Tier } from '../../api';
import { errorTitle } from '../../error-text';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';
import { errorColumn, hasLabelFilters, SEVERITY_SOLID, type AlertFilters } from './alert-model';

export const MATCHERS_EXAMPLE = '{service="erp", platform=~"shopee|lazada"}';

/**
 * Why the server refused the filters. For the matchers it names the column of the mistake (`column 12:
 * ...`); the text is then shown again with a caret under that column.
 */
export function FilterError({ error, matchers }: { error: unknown; matchers: string }) {
  const { t } = useTranslation();
  const message = error instanceof ApiError ? error.message : '';
  const column = errorColumn(message);
  const text = matchers.trim();
  const pointAt = column !== null && text !== '' && column <= Array.from(text).length + 1 ? column : null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="filter-error"
      title={
        error instanceof ApiError && error.status === 400 ? t('alerts.filterInvalid') : errorTitle(t, error)
      }
      description={
        message === '' ? undefined : (
          <>
            <div data-testid="filter-error-message">{message}</div>
            {pointAt !== null && (
              <pre style={{ margin: '6px 0 0', fontSize: 12, lineHeight: 1.4, overflowX: 'auto' }}>
                {text}
                {'\n'}
                {' '.repeat(pointAt - 1)}^
              </pre>
            )}
          </>
        )
      }
      style={{ marginTop: 8 }}
    />
  );
}

/** The service choice: the services configured in Watchpost and every service label seen firing; any other may be typed. */
function ServiceSelect({
  value,
  onChange,
  seen,
}: {
  value: string[];
  onChange: (v: string[]) => void;
  seen: readonly string[];
}) {
  const { t } = useTranslation();
  const api = useApi();
  const services = useLoad(useCallback(() => api.listServices(), [api]));
  const names = [...new Set([...(services.data?.items ?? []).map((s) => s.name), ...seen, ...value])].sort();
  return (
    <Select<string[]>
      mode="tags"
      value={value}
      onChange={(v) => onChange(v.map((s) => s.trim()).filter((s) => s !== ''))}
      allowClear
      maxTagCount="responsive"
      placeholder={t('alerts.filterService')}
      aria-label={t('alerts.filterService')}
      options={names.map((n) => ({ value: n, label: n }))}
      style={{ minWidth: 200, maxWidth: 320 }}
      data-testid="filter-service"
    />
  );
}

/** Severity, service and free-form matchers: shared by both tabs and kept in the URL by the page. */
export function FilterBar({
  filters,
  onChange,
  seenServices,
  error,
}: {
  filters: AlertFilters;
  onChange: (patch: Partial<AlertFilters>) => void;
  seenServices: readonly string[];
  /** The server's refusal of the current filters, if it refused them. */
  error: unknown;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(filters.matchers);
  // A link followed, or "clear", changes the URL: the input follows it.
  useEffect(() => setDraft(filters.matchers), [filters.matchers]);

  const toggleSeverity = (tier: Tier, on: boolean) =>
    onChange({
      severities: on
        ? TIERS.filter((s) => s === tier || filters.severities.includes(s))
        : filters.severities.filter((s) => s !== tier),
    });
  const applyMatchers = (text: string) => onChange({ matchers: text.trim() });

  return (
    <div style={{ marginBottom: 12 }}>
      <Flex gap={12} wrap align="center">
        <Space size={4} aria-label={t('alerts.filterSeverity')}>
          <Typography.Text type="secondary">{t('alerts.filterSeverity')}</Typography.Text>
          {TIERS.map((tier) => {
            const on = filters.severities.includes(tier);
            return (
              <Tooltip key={tier} title={t(`services.tierMeaning.${tier}`)}>
                <Tag.CheckableTag
                  checked={on}
                  onChange={(checked) => toggleSeverity(tier, checked)}
                  data-testid={`filter-severity-${tier}`}
                  style={
                    on
                      ? { background: SEVERITY_SOLID[tier], fontWeight: 600 }
                      : { border: '1px solid #d9d9d9', fontWeight: 600 }
                  }
                >
                  {tier}
                </Tag.CheckableTag>
              </Tooltip>
            );
          })}
        </Space>
        <ServiceSelect
          value={filters.services}
          onChange={(services) => onChange({ services })}
          seen={seenServices}
        />
        <Space.Compact style={{ flex: '1 1 360px', minWidth: 280, maxWidth: 640 }}>
          <Input
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              // The clear icon empties the field: that applies at once.
              if (e.type === 'click' && e.target.value === '') applyMatchers('');
            }}
            onPressEnter={() => applyMatchers(draft)}
            allowClear
            status={error !== undefined && filters.matchers !== '' ? 'error' : ''}
            prefix={<FilterOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />}
            placeholder={MATCHERS_EXAMPLE}
            aria-label={t('alerts.filterMatchers')}
            spellCheck={false}
            autoComplete="off"
            style={{ fontFamily: 'monospace' }}
            data-testid="filter-matchers"
          />
          <Button onClick={() => applyMatchers(draft)} data-testid="filter-matchers-apply">
            {t('alerts.apply')}
          </Button>
        </Space.Compact>
        {(hasLabelFilters(filters) || draft !== '') && (
          <Button
            type="link"
            icon={<ClearOutlined />}
            onClick={() => {
              setDraft('');
              onChange({ severities: [], services: [], matchers: '' });
            }}
            data-testid="filter-clear"
          >
            {t('alerts.clearFilters')}
          </Button>
        )}
      </Flex>
      {error !== undefined && <FilterError error={error} matchers={filters.matchers} />}
    </div>
  );
}
