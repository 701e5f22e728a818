import { ArrowLeftOutlined, FilterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Divider, Flex, Result, Spin, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, type GettableAlert, type Silence, type SilenceSaved } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MatcherTags } from '../../components/MatcherTags';
import { PageTitle } from '../../components/PageTitle';
import { formatDuration } from '../../format';
import { useDayjsLocale } from '../../hooks/use-dayjs-locale';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { canSilence, severityOf } from '../alerts/alert-model';
import { AbsoluteTime, PlaceTags, SeverityTag, StateBadge, Summary } from '../alerts/cells';
import { alertsLink, alertsOf } from './silence-model';
import { SilenceActionButtons, SilenceStateTag, useSilenceActions } from './SilenceActions';
import { SilenceAudit } from './SilenceAudit';

/** The firing alerts the silence mutes now (or will, when pending). */
function SilencedAlerts({ silence, firing }: { silence: Silence; firing: readonly GettableAlert[] }) {
  const { t } = useTranslation();
  const alerts = alertsOf(silence, firing);
  if (alerts === null)
    return <Typography.Text type="warning">{t('silence.previewUnreadable')}</Typography.Text>;
  return (
    <Table<GettableAlert>
      size="small"
      rowKey="fingerprint"
      dataSource={alerts}
      pagination={alerts.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      data-testid="silence-alerts"
      locale={{
        emptyText: t(silence.status.state === 'expired' ? 'silences.noAlertsExpired' : 'silences.noAlerts'),
      }}
      columns={[
        {
          title: t('alerts.col.severity'),
          key: 'severity',
          render: (_, a) => <SeverityTag tier={severityOf(a.labels)} raw={a.labels.severity} />,
        },
        {
          title: t('alerts.col.alertname'),
          key: 'alertname',
          render: (_, a) => <Typography.Text strong>{a.labels.alertname ?? '—'}</Typography.Text>,
        },
        { title: t('alerts.col.place'), key: 'where', render: (_, a) => <PlaceTags labels={a.labels} /> },
        { title: t('alerts.col.summary'), key: 'summary', render: (_, a) => <Summary alert={a} /> },
        { title: t('alerts.col.state'), key: 'state', render: (_, a) => <StateBadge alert={a} /> },
      ]}
    />
  );
}

function Details({ s }: { s: Silence }) {
  const { t, i18n } = useTranslation();
  const now = Date.now();
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 160 } }}
      data-testid="silence-details"
      items={[
        {
          key: 'id',
          label: 'ID',
          children: (
            <Typography.Text code copyable data-testid="silence-detail-id">
              {s.id}
            </Typography.Text>
          ),
        },
        {
          key: 'state',
          label: t('silences.stateLabel'),
          children: <SilenceStateTag state={s.status.state} />,
        },
        { key: 'matchers', label: t('silence.matchers'), children: <MatcherTags matchers={s.matchers} /> },
        {
          key: 'startsAt',
          label: t('silences.startsAt'),
          children: <AbsoluteTime iso={s.startsAt} now={now} />,
        },
        { key: 'endsAt', label: t('silences.endsAt'), children: <AbsoluteTime iso={s.endsAt} now={now} /> },
        {
          key: 'length',
          label: t('silence.duration'),
          children: formatDuration(Date.parse(s.endsAt) - Date.parse(s.startsAt), i18n.language),
        },
        { key: 'createdBy', label: t('silence.createdBy'), children: s.createdBy },
        {
          key: 'comment',
          label: t('silence.comment'),
          children: (
            <span style={{ whiteSpace: 'pre-wrap' }} data-testid="silence-detail-comment">
              {s.comment}
            </span>
          ),
        },
        { key: 'reason', label: t('silences.reason'), children: s.reason ?? none },
        {
          key: 'createdAt',
          label: t('common.createdAt'),
          children: <AbsoluteTime iso={s.createdAt} now={now} />,
        },
        {
          key: 'updatedAt',
          label: t('silences.updatedAt'),
          children: <AbsoluteTime iso={s.updatedAt} now={now} />,
        },
      ]}
    />
  );
}

/** /silences/:id: everything about one silence, the alerts it mutes now, its audit trail, and its actions. */
export default function SilenceDetailPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  useDayjsLocale();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const silence = useLoad(useCallback(() => api.getSilence(id), [api, id]));
  const firing = useLoad(useCallback(() => api.firingAlerts([]), [api]));
  const [actionError, setActionError] = useState<unknown>(null);
  const onChanged = (saved: SilenceSaved | null) => {
    setActionError(null);
    if (saved !== null && saved.silence.id !== id)
      void navigate(`/silences/${encodeURIComponent(saved.silence.id)}`);
    silence.reload();
    firing.reload();
  };
  const actions = useSilenceActions(onChanged, setActionError);
  const s = silence.data?.id === id ? silence.data : undefined;

  const back = (
    <Link to="/silences">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        style={{ paddingInline: 0 }}
        data-testid="silence-back"
      >
        {t('silences.back')}
      </Button>
    </Link>
  );

  if (silence.error instanceof ApiError && silence.error.status === 404)
    return (
      <>
        {back}
        <Result
          status="404"
          title={t('silences.notFound')}
          subTitle={<code>{id}</code>}
          data-testid="silence-not-found"
        />
      </>
    );

  return (
    <>
      {back}
      <PageTitle
        extra={
          s !== undefined &&
          canSilence(user.role) && <SilenceActionButtons silence={s} actions={actions} size="middle" />
        }
      >
        <Flex align="center" gap={10}>
          {t('silences.detailTitle')}
          {s !== undefined && <SilenceStateTag state={s.status.state} />}
        </Flex>
      </PageTitle>
      {silence.error !== undefined && <ErrorAlert error={silence.error} />}
      {actionError !== null && (
        <ErrorAlert error={actionError} testId="silences-action-error" onClose={() => setActionError(null)} />
      )}
      {s === undefined ? (
        silence.loading && <Spin />
      ) : (
        <Card>
          <Details s={s} />
          <Divider titlePlacement="start" plain>
            {t(s.status.state === 'pending' ? 'silences.willMuteTitle' : 'silences.mutesNowTitle')}
          </Divider>
          <Flex justify="flex-end" style={{ marginBottom: 8 }}>
            <Link to={alertsLink(s)} data-testid="silence-alerts-link">
              <Button size="small" icon={<FilterOutlined />}>
                {t('silences.showInAlerts')}
              </Button>
            </Link>
          </Flex>
          {firing.error !== undefined && <ErrorAlert error={firing.error} />}
          {firing.data === undefined ? (
            firing.loading && <Spin size="small" />
          ) : (
            <SilencedAlerts silence={s} firing={firing.data} />
          )}
          {user.role === 'admin' && (
            <>
              <Divider titlePlacement="start" plain>
                {t('silences.auditTitle')}
              </Divider>
              <SilenceAudit key={`${s.id}:${s.updatedAt}`} id={s.id} />
            </>
          )}
        </Card>
      )}
      {actions.modal}
    </>
  );
}
