import {
  BookOutlined,
  ExportOutlined,
  PauseCircleOutlined,
  SwapOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import {
  Badge,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Flex,
  Spin,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AlertDetail, GettableAlert } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDuration } from '../../format';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { AlertDeliveries } from './AlertDeliveries';
import { canSilence, exactMatchers, formatMatchers, severityOf } from './alert-model';
import { GroupLine } from './GroupLine';
import { AbsoluteTime, PLACE_LABELS, Receivers, SeverityTag, StateBadge } from './cells';

const isWebUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** Where an alert is, for naming it in a sentence ("DatabaseDown on oms"): its place labels and instance. */
const placeOf = (labels: Readonly<Record<string, string>>): string =>
  [...PLACE_LABELS, 'instance']
    .map((l) => labels[l] ?? '')
    .filter((v) => v !== '')
    .join(' / ');

/** The alert's episodes from the detail, newest first. */
function EpisodeTimeline({ episodes }: { episodes: AlertDetail['episodes'] }) {
  const { t, i18n } = useTranslation();
  const now = Date.now();
  if (episodes.length === 0)
    return <Typography.Text type="secondary">{t('alerts.drawer.noHistory')}</Typography.Text>;
  return (
    <Timeline
      data-testid="alert-history"
      items={episodes.map((e) => ({
        key: e.firedAt,
        color: e.resolvedAt === null ? 'red' : 'green',
        content: (
          <div data-testid="alert-episode" data-state={e.resolvedAt === null ? 'firing' : 'resolved'}>
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
                {t(e.resolvedAt === null ? 'alerts.drawer.firingFor' : 'alerts.drawer.firedFor', {
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

/** "Expected (maintenance)" and "Flapping: N changes in the last 1h", when they apply. */
function StoryTags({ detail }: { detail: AlertDetail }) {
  const { t } = useTranslation();
  const { flapping } = detail;
  if (!detail.expected && !flapping.flapping) return null;
  return (
    <Flex gap={6} wrap style={{ marginBottom: 12 }} data-testid="alert-story-tags">
      {detail.expected && (
        <Tooltip title={t('alerts.drawer.expectedHint')}>
          <Tag color="orange" icon={<ToolOutlined />} data-testid="alert-expected">
            {t('alerts.drawer.expectedTag')}
          </Tag>
        </Tooltip>
      )}
      {flapping.flapping && (
        <Tag color="magenta" icon={<SwapOutlined />} data-testid="alert-flapping">
          {t('alerts.drawer.flappingTag')}:{' '}
          {t('alerts.drawer.flappingChanges', { count: flapping.changes, window: flapping.window })}
        </Tag>
      )}
    </Flex>
  );
}

/**
 * Why the alert's notifications are held back, from the server's detail: each silence (linked, with its
 * comment, author and end), each inhibiting alert named by its labels (a click opens it), each maintenance
 * window with its mode, and the time intervals muting its routes.
 */
function WhyQuiet({
  detail,
  onOpenInhibitor,
}: {
  detail: AlertDetail;
  onOpenInhibitor: (fingerprint: string) => void;
}) {
  const { t } = useTranslation();
  const now = Date.now();
  const { silences, inhibitedBy, maintenance, timeIntervals } = detail.mute;
  if (silences.length + inhibitedBy.length + maintenance.length + timeIntervals.length === 0)
    return (
      <Typography.Text type="secondary" data-testid="alert-mutes-none">
        {t(detail.state === 'resolved' ? 'alerts.drawer.resolvedNotMuted' : 'alerts.drawer.notMuted')}
      </Typography.Text>
    );
  const items = [];
  if (silences.length > 0)
    items.push({
      key: 'silences',
      label: t('alerts.drawer.silencedBy'),
      children: (
        <Flex vertical gap={4}>
          {silences.map((s) => (
            <div key={s.id} data-testid="alert-silence">
              <Link to={`/silences/${encodeURIComponent(s.id)}`} data-testid="alert-silence-link">
                <Typography.Text code>{s.id}</Typography.Text>
              </Link>{' '}
              {s.comment !== '' && <Typography.Text>{s.comment}</Typography.Text>}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('alerts.drawer.silenceBy', { createdBy: s.createdBy || '—' })}{' '}
                  <AbsoluteTime iso={s.endsAt} now={now} />
                </Typography.Text>
              </div>
            </div>
          ))}
        </Flex>
      ),
    });
  if (inhibitedBy.length > 0)
    items.push({
      key: 'inhibitions',
      label: t('alerts.drawer.inhibitedBy'),
      children: (
        <Flex vertical gap={2}>
          {inhibitedBy.map((src) => {
            const name = src.labels.alertname ?? src.fingerprint;
            const place = placeOf(src.labels);
            return (
              <Tooltip key={src.fingerprint} title={formatMatchers(exactMatchers(src.labels))}>
                <Typography.Link
                  onClick={() => onOpenInhibitor(src.fingerprint)}
                  data-testid="alert-inhibitor"
                  data-fingerprint={src.fingerprint}
                >
                  {place === '' ? name : t('alerts.drawer.inhibitorOn', { alertname: name, place })}
                </Typography.Link>
              </Tooltip>
            );
          })}
        </Flex>
      ),
    });
  if (maintenance.length > 0)
    items.push({
      key: 'maintenance',
      label: t('alerts.drawer.maintenance'),
      children: (
        <Flex vertical gap={2}>
          {maintenance.map((w) => (
            <Flex key={w.id} gap={6} align="center" data-testid="alert-maintenance">
              <Link to="/maintenance">{w.name}</Link>
              <Tag color={w.mode === 'expected' ? 'orange' : 'blue'} style={{ marginInlineEnd: 0 }}>
                {t(`maintenance.modes.${w.mode}`)}
              </Tag>
            </Flex>
          ))}
        </Flex>
      ),
    });
  if (timeIntervals.length > 0)
    items.push({
      key: 'intervals',
      label: t('alerts.drawer.timeIntervals'),
      children: <span data-testid="alert-time-intervals">{timeIntervals.join(', ')}</span>,
    });
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="alert-mutes"
      styles={{ label: { width: 150 } }}
      items={items}
    />
  );
}

/** The part of the drawer the server's detail answers: tags, why it is quiet, flapping, groups, episodes. */
function AlertStory({
  alert,
  firing,
  onOpenFingerprint,
  children,
}: {
  alert: GettableAlert;
  firing: readonly GettableAlert[];
  onOpenFingerprint: (a: GettableAlert) => void;
  /** Lays out the drawer: the detail once loaded, and the sections drawn from it (a spinner until then). */
  children: (story: {
    detail: AlertDetail | undefined;
    whyQuiet: ReactNode;
    timeline: ReactNode;
  }) => ReactNode;
}) {
  const api = useApi();
  const fp = alert.fingerprint;
  // Asked again when the refreshed list shows a change (a new silence, a re-fire), not on every refresh.
  const changed = `${JSON.stringify(alert.status)} ${alert.endsAt}`;
  const detail = useLoad(
    useCallback(
      () => api.alertDetail(fp),
      // `changed` is not read: it asks again when the alert changed.
      [api, fp, changed],
    ),
  );
  const [opening, setOpening] = useState<unknown>(undefined);
  const openInhibitor = (inhibitor: string) => {
    const known = firing.find((f) => f.fingerprint === inhibitor);
    if (known !== undefined) {
      onOpenFingerprint(known);
      return;
    }
    api.alertDetail(inhibitor).then(
      (d) => onOpenFingerprint(d.alert),
      (e: unknown) => setOpening(e),
    );
  };
  const d = detail.data;
  const loading = detail.loading && d === undefined;
  const section = (node: (d: AlertDetail) => ReactNode) =>
    loading ? <Spin size="small" /> : d === undefined ? null : node(d);

  return (
    <>
      {detail.error !== undefined && <ErrorAlert error={detail.error} testId="alert-detail-error" />}
      {opening !== undefined && <ErrorAlert error={opening} onClose={() => setOpening(undefined)} />}
      {d !== undefined && <StoryTags detail={d} />}
      {children({
        detail: d,
        whyQuiet: section((x) => <WhyQuiet detail={x} onOpenInhibitor={openInhibitor} />),
        timeline: section((x) => <EpisodeTimeline episodes={x.episodes} />),
      })}
    </>
  );
}

/** "3 in the last 1h (flapping above 4)", or that the route does not watch for flapping. */
function FlappingText({ flapping }: { flapping: AlertDetail['flapping'] }) {
  const { t } = useTranslation();
  return (
    <span data-testid="alert-changes">
      {flapping.threshold > 0
        ? t('alerts.drawer.changesValue', {
            count: flapping.changes,
            window: flapping.window,
            threshold: flapping.threshold,
          })
        : t('alerts.drawer.flappingOff')}
    </span>
  );
}

/**
 * Everything about one alert: labels, annotations (runbook as a link), fingerprint, times, source, and from
 * the server's detail (`GET /api/v1/alerts/:fingerprint`, asked when the drawer opens): why it is quiet,
 * whether it is expected or flapping, its groups, and its past episodes.
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
  /** The alerts firing now: an inhibiting alert among them opens without asking the server. */
  firing: readonly GettableAlert[];
  onClose: () => void;
  onSilence: ((a: GettableAlert) => void) | undefined;
  onOpenFingerprint: (a: GettableAlert) => void;
}) {
  const { t } = useTranslation();
  const now = Date.now();
  const canAcknowledge = canSilence(useUser().role);
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
          <AlertStory key={a.fingerprint} alert={a} firing={firing} onOpenFingerprint={onOpenFingerprint}>
            {({ detail, whyQuiet, timeline }) => (
              <>
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
                    {
                      key: 'state',
                      label: t('alerts.col.state'),
                      children:
                        detail?.state === 'resolved' ? (
                          <Badge
                            status="success"
                            text={t('alerts.state.resolved')}
                            data-testid="alert-state"
                          />
                        ) : (
                          <StateBadge alert={detail?.alert ?? a} />
                        ),
                    },
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
                      children: <Receivers receivers={detail?.alert.receivers ?? a.receivers} />,
                    },
                    ...(detail === undefined
                      ? []
                      : [
                          {
                            key: 'groups',
                            label: t('alerts.drawer.groups'),
                            children: (
                              <Flex vertical gap={2} data-testid="alert-groups">
                                {detail.groups.map((g) => (
                                  <GroupLine
                                    key={g.groupKey}
                                    group={g}
                                    canAcknowledge={canAcknowledge && detail.state === 'firing'}
                                    now={now}
                                  />
                                ))}
                              </Flex>
                            ),
                          },
                          {
                            key: 'changes',
                            label: t('alerts.drawer.changes'),
                            children: <FlappingText flapping={detail.flapping} />,
                          },
                        ]),
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
                {whyQuiet}

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
                  {t('alerts.drawer.deliveries')}
                </Divider>
                <AlertDeliveries fingerprint={a.fingerprint} />

                <Divider titlePlacement="start" plain>
                  {t('alerts.drawer.history')}
                </Divider>
                {timeline}
              </>
            )}
          </AlertStory>
        </div>
      )}
    </Drawer>
  );
}
