import { BookOutlined, ExportOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { Button, Descriptions, Divider, Drawer, Flex, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AlertEpisode, GettableAlert } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDuration } from '../../format';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';
import { exactMatchers, formatMatchers, severityOf } from './alert-model';
import { AbsoluteTime, Receivers, SeverityTag, StateBadge } from './cells';

const HISTORY_LIMIT = 20;

const isWebUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** The alert's past episodes: the history of exactly its label set (its fingerprint). */
function EpisodeTimeline({ alert }: { alert: GettableAlert }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  // A string, so that the refreshed copy of the same alert does not ask again.
  const expr = formatMatchers(exactMatchers(alert.labels));
  const history = useLoad(
    useCallback(() => api.alertHistory({ matchers: [expr], limit: HISTORY_LIMIT }), [api, expr]),
  );
  if (history.loading && history.data === undefined) return <Spin size="small" />;
  if (history.error !== undefined) return <ErrorAlert error={history.error} />;
  const now = Date.now();
  // `=` matchers also select alerts with more labels than this one; its own episodes share its fingerprint.
  const episodes: AlertEpisode[] = (history.data?.items ?? []).filter(
    (e) => e.alert.fingerprint === alert.fingerprint,
  );
  if (episodes.length === 0)
    return <Typography.Text type="secondary">{t('alerts.drawer.noHistory')}</Typography.Text>;
  return (
    <Timeline
      data-testid="alert-history"
      items={episodes.map((e) => ({
        key: e.episodeId,
        color: e.state === 'firing' ? 'red' : 'green',
        content: (
          <div data-testid="alert-episode">
            <AbsoluteTime iso={e.firedAt} now={now} />
            <Typography.Text type="secondary">
              {' → '}
              {e.resolvedAt === null ? (
                t('alerts.drawer.stillFiring')
              ) : (
                <AbsoluteTime iso={e.resolvedAt} now={now} />
              )}
            </Typography.Text>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(e.state === 'firing' ? 'alerts.drawer.firingFor' : 'alerts.drawer.firedFor', {
                  duration: formatDuration(
                    (e.resolvedAt === null ? now : Date.parse(e.resolvedAt)) - Date.parse(e.firedAt),
                    i18n.language,
                  ),
                })}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}

/** What keeps the alert's notifications back: silences (linked), inhibiting alerts, time intervals. */
function Mutes({
  alert,
  firing,
  onOpenFingerprint,
}: {
  alert: GettableAlert;
  firing: readonly GettableAlert[];
  onOpenFingerprint: (a: GettableAlert) => void;
}) {
  const { t } = useTranslation();
  const { silencedBy, inhibitedBy } = alert.status;
  const silenceIds = new Set(silencedBy);
  const intervals = (alert.status.mutedBy ?? []).filter((m) => !silenceIds.has(m));
  if (silencedBy.length === 0 && inhibitedBy.length === 0 && intervals.length === 0)
    return (
      <Typography.Text type="secondary" data-testid="alert-mutes-none">
        {t('alerts.drawer.notMuted')}
      </Typography.Text>
    );
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="alert-mutes"
      items={[
        ...(silencedBy.length === 0
          ? []
          : [
              {
                key: 'silences',
                label: t('alerts.drawer.silencedBy'),
                children: (
                  <Flex vertical gap={2}>
                    {silencedBy.map((id) => (
                      <Link
                        key={id}
                        to={`/silences/${encodeURIComponent(id)}`}
                        data-testid="alert-silence-link"
                      >
                        <Typography.Text code>{id}</Typography.Text>
                      </Link>
                    ))}
                  </Flex>
                ),
              },
            ]),
        ...(inhibitedBy.length === 0
          ? []
          : [
              {
                key: 'inhibitions',
                label: t('alerts.drawer.inhibitedBy'),
                children: (
                  <Flex vertical gap={2}>
                    {inhibitedBy.map((fp) => {
                      const source = firing.find((f) => f.fingerprint === fp);
                      return source === undefined ? (
                        <Typography.Text key={fp} code>
                          {fp}
                        </Typography.Text>
                      ) : (
                        <Typography.Link key={fp} onClick={() => onOpenFingerprint(source)}>
                          <Typography.Text code>{fp}</Typography.Text> {source.labels.alertname ?? ''}
                        </Typography.Link>
                      );
                    })}
                  </Flex>
                ),
              },
            ]),
        ...(intervals.length === 0
          ? []
          : [{ key: 'intervals', label: t('alerts.drawer.mutedBy'), children: intervals.join(', ') }]),
      ]}
    />
  );
}

/**
 * Everything about one alert: labels, annotations (runbook as a link), fingerprint, times, source, what
 * mutes it, and its past episodes.
 */
export function AlertDrawer({
  alert,
  open,
  firing,
  onClose,
  onSilence,
  onOpenFingerprint,
}: {
  alert: GettableAlert | null;
  open: boolean;
  /** The alerts firing now, to name the alerts that inhibit this one. */
  firing: readonly GettableAlert[];
  onClose: () => void;
  onSilence: ((a: GettableAlert) => void) | undefined;
  onOpenFingerprint: (a: GettableAlert) => void;
}) {
  const { t } = useTranslation();
  const now = Date.now();
  const a = alert;
  const annotations = a === null ? [] : Object.entries(a.annotations).sort(([x], [y]) => x.localeCompare(y));
  const runbook = a?.annotations.runbook_url ?? '';

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      data-testid="alert-drawer"
      title={
        a !== null && (
          <Flex align="center" gap={8}>
            <SeverityTag tier={severityOf(a.labels)} raw={a.labels.severity} />
            <span data-testid="alert-drawer-title">{a.labels.alertname ?? t('alerts.drawer.unnamed')}</span>
          </Flex>
        )
      }
      extra={
        a !== null &&
        onSilence !== undefined && (
          <Button icon={<PauseCircleOutlined />} onClick={() => onSilence(a)} data-testid="drawer-silence">
            {t('alerts.silence')}
          </Button>
        )
      }
    >
      {a !== null && (
        <div data-testid="alert-drawer-body">
          {a.annotations.summary !== undefined && (
            <Typography.Paragraph strong style={{ fontSize: 15 }}>
              {a.annotations.summary}
            </Typography.Paragraph>
          )}
          {a.annotations.description !== undefined && (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {a.annotations.description}
            </Typography.Paragraph>
          )}
          {isWebUrl(runbook) && (
            <Typography.Paragraph>
              <Button
                type="primary"
                ghost
                size="small"
                icon={<BookOutlined />}
                href={runbook}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="alert-runbook"
              >
                {t('alerts.drawer.runbook')}
              </Button>
            </Typography.Paragraph>
          )}

          <Divider titlePlacement="start" plain>
            {t('alerts.drawer.labels')}
          </Divider>
          <Flex gap={6} wrap data-testid="alert-labels" style={{ marginBottom: 16 }}>
            {Object.keys(a.labels)
              .sort()
              .map((k) => (
                <Tag key={k} style={{ fontFamily: 'monospace', marginInlineEnd: 0 }}>
                  {k}=&quot;{a.labels[k]}&quot;
                </Tag>
              ))}
          </Flex>

          <Divider titlePlacement="start" plain>
            {t('alerts.drawer.details')}
          </Divider>
          <Descriptions
            size="small"
            column={1}
            bordered
            styles={{ label: { width: 150 } }}
            items={[
              { key: 'state', label: t('alerts.col.state'), children: <StateBadge alert={a} /> },
              {
                key: 'fingerprint',
                label: t('alerts.drawer.fingerprint'),
                children: (
                  <Typography.Text code copyable data-testid="alert-fingerprint">
                    {a.fingerprint}
                  </Typography.Text>
                ),
              },
              {
                key: 'startsAt',
                label: t('alerts.drawer.startsAt'),
                children: <AbsoluteTime iso={a.startsAt} now={now} />,
              },
              {
                key: 'endsAt',
                label: t('alerts.drawer.endsAt'),
                children: <AbsoluteTime iso={a.endsAt} now={now} />,
              },
              {
                key: 'updatedAt',
                label: t('alerts.drawer.updatedAt'),
                children: <AbsoluteTime iso={a.updatedAt} now={now} />,
              },
              {
                key: 'receivers',
                label: t('alerts.col.receivers'),
                children: <Receivers receivers={a.receivers} />,
              },
              {
                key: 'generator',
                label: t('alerts.drawer.generator'),
                children: isWebUrl(a.generatorURL) ? (
                  <Typography.Link
                    href={a.generatorURL}
                    target="_blank"
                    rel="noopener noreferrer"
                    data-testid="alert-generator"
                    style={{ wordBreak: 'break-all' }}
                  >
                    {a.generatorURL} <ExportOutlined />
                  </Typography.Link>
                ) : (
                  <Typography.Text type="secondary">{a.generatorURL || '—'}</Typography.Text>
                ),
              },
            ]}
          />

          <Divider titlePlacement="start" plain>
            {t('alerts.drawer.mutes')}
          </Divider>
          <Mutes alert={a} firing={firing} onOpenFingerprint={onOpenFingerprint} />

          <Divider titlePlacement="start" plain>
            {t('alerts.drawer.annotations')}
          </Divider>
          {annotations.length === 0 ? (
            <Typography.Text type="secondary">{t('alerts.drawer.noAnnotations')}</Typography.Text>
          ) : (
            <Descriptions
              size="small"
              column={1}
              bordered
              data-testid="alert-annotations"
              items={annotations.map(([k, v]) => ({
                key: k,
                label: <code>{k}</code>,
                children:
                  k === 'runbook_url' && isWebUrl(v) ? (
                    <Typography.Link href={v} target="_blank" rel="noopener noreferrer">
                      {v}
                    </Typography.Link>
                  ) : (
                    <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{v}</span>
                  ),
              }))}
            />
          )}

          <Divider titlePlacement="start" plain>
            {t('alerts.drawer.history')}
          </Divider>
          <EpisodeTimeline key={a.fingerprint} alert={a} />
        </div>
      )}
    </Drawer>
  );
}
