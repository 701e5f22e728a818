import { Table, Tooltip, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { GettableAlert, Silence } from '../../api';
import { MatcherTags } from '../../components/MatcherTags';
import { RelativeTime } from '../alerts/cells';
import { alertsLink, alertsOf } from './silence-model';
import { SilenceActionButtons, type SilenceActions } from './SilenceActions';

/** How many firing alerts the silence mutes now (will mute, when pending), linked to the Alerts page. */
function AlertCount({ silence, firing }: { silence: Silence; firing: readonly GettableAlert[] | undefined }) {
  const { t } = useTranslation();
  const alerts = firing === undefined ? undefined : alertsOf(silence, firing);
  if (silence.status.state === 'expired' || alerts === undefined)
    return <Typography.Text type="secondary">—</Typography.Text>;
  if (alerts === null)
    return (
      <Tooltip title={t('silence.previewUnreadable')}>
        <Typography.Text type="secondary">?</Typography.Text>
      </Tooltip>
    );
  return (
    <Tooltip title={t(silence.status.state === 'active' ? 'silences.mutesNow' : 'silences.willMute')}>
      <Link to={alertsLink(silence)} data-testid="silence-alert-count">
        {alerts.length}
      </Link>
    </Tooltip>
  );
}

/** The silences of one state: matchers, times, who and why, the alerts concerned, and the actions. */
export function SilencesTable({
  silences,
  firing,
  loading,
  actions,
}: {
  silences: readonly Silence[];
  firing: readonly GettableAlert[] | undefined;
  loading: boolean;
  /** Absent for a user who may not change silences. */
  actions: SilenceActions | undefined;
}) {
  const { t } = useTranslation();
  const now = Date.now();
  return (
    <Table<Silence>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={[...silences]}
      pagination={silences.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      data-testid="silences-table"
      onRow={() => ({ 'data-testid': 'silence-row' }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: t('silences.empty') }}
      columns={[
        {
          title: t('silence.matchers'),
          key: 'matchers',
          render: (_, s) => (
            <Link to={`/silences/${encodeURIComponent(s.id)}`} data-testid="silence-link" title={s.id}>
              <MatcherTags matchers={s.matchers} />
            </Link>
          ),
        },
        {
          title: t('silences.startsAt'),
          key: 'startsAt',
          render: (_, s) => <RelativeTime iso={s.startsAt} now={now} />,
        },
        {
          title: t('silences.endsAt'),
          key: 'endsAt',
          render: (_, s) => <RelativeTime iso={s.endsAt} now={now} />,
        },
        {
          title: t('silence.createdBy'),
          dataIndex: 'createdBy',
          render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span>,
        },
        {
          title: t('silence.comment'),
          key: 'comment',
          render: (_, s) => (
            <>
              <Typography.Text ellipsis={{ tooltip: s.comment }} style={{ maxWidth: 360 }}>
                {s.comment}
              </Typography.Text>
              {s.reason !== null && (
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('silences.reason')}: {s.reason}
                  </Typography.Text>
                </div>
              )}
            </>
          ),
        },
        {
          title: t('silences.alerts'),
          key: 'alerts',
          align: 'right',
          render: (_, s) => <AlertCount silence={s} firing={firing} />,
        },
        ...(actions === undefined
          ? []
          : [
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, s: Silence) => <SilenceActionButtons silence={s} actions={actions} />,
              },
            ]),
      ]}
    />
  );
}
