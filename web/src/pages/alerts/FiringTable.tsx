import { DownOutlined, PauseCircleOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  useCallback,
  useMemo,
  useState,
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { TIERS, type GettableAlert } from '../../api';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';
import { groupAlerts, severityOf, SEVERITY_COLORS, type AlertGroup, type GroupLabel } from './alert-model';
import { PlaceTags, Receivers, RelativeTime, SeverityTag, StateBadge, Summary } from './cells';

type Row =
  | { kind: 'alert'; key: string; alert: GettableAlert }
  | { kind: 'group'; key: string; group: AlertGroup; collapsed: boolean };

const PAGE_SIZE = 50;

function GroupHeader({ by, group, collapsed }: { by: GroupLabel; group: AlertGroup; collapsed: boolean }) {
  const { t } = useTranslation();
  const counts = TIERS.map((tier) => ({
    tier,
    n: group.alerts.filter((a) => severityOf(a.labels) === tier).length,
  })).filter((c) => c.n > 0);
  return (
    <Flex align="center" gap={8} data-testid="alert-group" data-group={group.value}>
      {collapsed ? <RightOutlined style={{ fontSize: 10 }} /> : <DownOutlined style={{ fontSize: 10 }} />}
      <Typography.Text type="secondary">{t(`alerts.groupLabel.${by}`)}</Typography.Text>
      {group.value === '' ? (
        <Typography.Text type="secondary" italic>
          {t('alerts.noLabelValue')}
        </Typography.Text>
      ) : (
        <Typography.Text strong data-testid="alert-group-value">
          {group.value}
        </Typography.Text>
      )}
      <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
        <span data-testid="alert-group-count">{group.alerts.length}</span>
      </Tag>
      <Flex gap={4}>
        {counts.map((c) => (
          <Tag key={c.tier} color={SEVERITY_COLORS[c.tier]} variant="filled" style={{ marginInlineEnd: 0 }}>
            {c.tier} × {c.n}
          </Tag>
        ))}
      </Flex>
    </Flex>
  );
}

/**
 * The names of the maintenance windows in mode `expected`, among those muting these alerts. The v2 list
 * names a window in `mutedBy` without its mode, so the windows are listed: only when some alert is muted
 * by a name, and again only when a new name appears. A failure only leaves the tags out.
 */
function useExpectedWindows(alerts: readonly GettableAlert[]): ReadonlySet<string> {
  const api = useApi();
  const names = useMemo(
    () => [...new Set(alerts.flatMap((a) => a.status.mutedBy ?? []))].sort().join('\n'),
    [alerts],
  );
  const windows = useLoad(
    useCallback(
      () => (names === '' ? Promise.resolve([]) : api.listMaintenance().then((r) => r.items)),
      [api, names],
    ),
  );
  return useMemo(
    () => new Set((windows.data ?? []).filter((w) => w.mode === 'expected').map((w) => w.name)),
    [windows.data],
  );
}

/** "Expected" beside the state of an alert that an `expected` maintenance window covers. */
function ExpectedTag({ alert, expected }: { alert: GettableAlert; expected: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const names = (alert.status.mutedBy ?? []).filter((n) => expected.has(n));
  if (names.length === 0) return null;
  return (
    <Tooltip title={t('alerts.expectedHint', { names: names.join(', ') })}>
      <Tag color="orange" variant="filled" style={{ marginInlineEnd: 0 }} data-testid="alert-expected-tag">
        {t('alerts.expected')}
      </Tag>
    </Tooltip>
  );
}

/**
 * The firing alerts, most severe first, in a dense table; or grouped under one header row per value of a
 * label (with counts), each group collapsible. A click on a row opens it; the row's Silence button, shown
 * when `onSilence` is given, opens the silence dialog for it.
 */
export function FiringTable({
  alerts,
  groupBy,
  now,
  loading,
  onOpen,
  onSilence,
}: {
  alerts: readonly GettableAlert[];
  groupBy: GroupLabel | null;
  now: number;
  loading: boolean;
  onOpen: (a: GettableAlert) => void;
  onSilence: ((a: GettableAlert) => void) | undefined;
}) {
  const { t } = useTranslation();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const expected = useExpectedWindows(alerts);

  const rows = useMemo((): Row[] => {
    const alertRow = (a: GettableAlert): Row => ({ kind: 'alert', key: a.fingerprint, alert: a });
    if (groupBy === null) return alerts.map(alertRow);
    return groupAlerts(alerts, groupBy).flatMap((group) => {
      const isCollapsed = collapsed.has(group.value);
      const header: Row = { kind: 'group', key: `group:${group.value}`, group, collapsed: isCollapsed };
      return isCollapsed ? [header] : [header, ...group.alerts.map(alertRow)];
    });
  }, [alerts, groupBy, collapsed]);

  const toggle = (value: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(value)) next.add(value);
      return next;
    });

  const alertColumns: {
    key: string;
    title: string;
    width?: number;
    render: (a: GettableAlert) => ReactNode;
  }[] = [
    {
      title: t('alerts.col.severity'),
      key: 'severity',
      width: 64,
      render: (a) => <SeverityTag tier={severityOf(a.labels)} raw={a.labels.severity} />,
    },
    {
      title: t('alerts.col.alertname'),
      key: 'alertname',
      render: (a) => (
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }} data-testid="alert-name">
          {a.labels.alertname ?? '—'}
        </Typography.Text>
      ),
    },
    { title: t('alerts.col.summary'), key: 'summary', render: (a) => <Summary alert={a} /> },
    { title: t('alerts.col.place'), key: 'place', render: (a) => <PlaceTags labels={a.labels} /> },
    {
      title: t('alerts.col.since'),
      key: 'since',
      width: 120,
      render: (a) => <RelativeTime iso={a.startsAt} now={now} />,
    },
    {
      title: t('alerts.col.state'),
      key: 'state',
      width: 96,
      render: (a) => (
        <Flex gap={4} align="center" wrap={false}>
          <StateBadge alert={a} />
          <ExpectedTag alert={a} expected={expected} />
        </Flex>
      ),
    },
    {
      title: t('alerts.col.receivers'),
      key: 'receivers',
      render: (a) => <Receivers receivers={a.receivers} />,
    },
  ];
  if (onSilence !== undefined)
    alertColumns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (a) => (
        <Button
          size="small"
          icon={<PauseCircleOutlined />}
          data-testid="alert-silence"
          onClick={(e) => {
            e.stopPropagation();
            onSilence(a);
          }}
        >
          {t('alerts.silence')}
        </Button>
      ),
    });

  const columns: ColumnsType<Row> = alertColumns.map((c, i) => ({
    key: c.key,
    title: c.title,
    ...(c.width === undefined ? {} : { width: c.width }),
    onCell: (row: Row) => (row.kind === 'group' ? { colSpan: i === 0 ? alertColumns.length : 0 } : {}),
    render: (_: unknown, row: Row) =>
      row.kind === 'group'
        ? i === 0 &&
          groupBy !== null && <GroupHeader by={groupBy} group={row.group} collapsed={row.collapsed} />
        : c.render(row.alert),
  }));

  return (
    <Table<Row>
      size="small"
      rowKey="key"
      data-testid="alerts-table"
      loading={loading}
      dataSource={rows}
      columns={columns}
      pagination={
        groupBy === null && alerts.length > PAGE_SIZE
          ? { pageSize: PAGE_SIZE, showSizeChanger: false, size: 'small' }
          : false
      }
      scroll={{ x: 'max-content' }}
      onRow={(row) =>
        ({
          onClick: () => (row.kind === 'group' ? toggle(row.group.value) : onOpen(row.alert)),
          // Rows open (or fold) from the keyboard too.
          tabIndex: 0,
          onKeyDown: (e: KeyboardEvent) => {
            if (e.key !== 'Enter' || e.target !== e.currentTarget) return;
            if (row.kind === 'group') toggle(row.group.value);
            else onOpen(row.alert);
          },
          style: {
            cursor: 'pointer',
            ...(row.kind === 'group' ? { background: 'rgba(0, 0, 0, 0.02)' } : {}),
          },
          'data-testid': row.kind === 'group' ? 'alert-group-row' : 'alert-row',
        }) as HTMLAttributes<HTMLElement>
      }
    />
  );
}
