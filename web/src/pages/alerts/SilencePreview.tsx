import { Alert, Flex, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ApiClient, type GettableAlert } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LABEL_NAME } from '../../components/LabelsInput';
import { alertsMatching, formatMatchers, severityOf, type MatcherRow } from './alert-model';
import { PlaceTags, SeverityTag } from './cells';

const PREVIEW_SHOWN = 8;
const PREVIEW_DELAY_MS = 300;

export type Preview =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; alerts: GettableAlert[]; local: boolean }
  | { status: 'unreadable' }
  | { status: 'error'; error: unknown };

/** Rows that can be sent: every row named with a label name. */
const usable = (rows: readonly (MatcherRow | undefined)[] | undefined): rows is MatcherRow[] =>
  (rows ?? []).length > 0 && (rows ?? []).every((r) => r !== undefined && LABEL_NAME.test(r.name.trim()));

/**
 * The firing alerts the matchers would silence, from the server (`/api/v1/silences/preview`), or, where the
 * server does not offer it (404), worked out here from the firing list with the same matching rules.
 * Asked again (after a short pause) whenever the rows change.
 */
export function usePreview(api: ApiClient, rows: MatcherRow[] | undefined): Preview {
  const [preview, setPreview] = useState<Preview>({ status: 'idle' });
  const noServerPreview = useRef(false);
  // The rows as a value: the effect runs again when they change, not when the form re-renders.
  const key = usable(rows) ? JSON.stringify(rows.map((r) => ({ ...r, name: r.name.trim() }))) : null;

  useEffect(() => {
    if (key === null) {
      setPreview({ status: 'idle' });
      return;
    }
    const wanted = JSON.parse(key) as MatcherRow[];
    const expr = formatMatchers(wanted);
    let stale = false;
    setPreview({ status: 'loading' });
    const timer = setTimeout(() => {
      const local = async () => {
        const firing = await api.firingAlerts([]);
        try {
          return alertsMatching(firing, wanted);
        } catch {
          return null; // a pattern the browser cannot read
        }
      };
      const run = async (): Promise<Preview> => {
        if (!noServerPreview.current) {
          try {
            return { status: 'done', alerts: await api.previewSilence(expr), local: false };
          } catch (e) {
            if (!(e instanceof ApiError && e.status === 404)) throw e;
            noServerPreview.current = true;
          }
        }
        const alerts = await local();
        return alerts === null ? { status: 'unreadable' } : { status: 'done', alerts, local: true };
      };
      run().then(
        (p) => !stale && setPreview(p),
        (e: unknown) => !stale && setPreview({ status: 'error', error: e }),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [api, key]);
  return preview;
}

/**
 * The preview's outcome: how many firing alerts match and the first few of them. With `origin` (silencing
 * from an alert), a warning when the matchers no longer select that alert.
 */
export function PreviewPanel({ preview, origin }: { preview: Preview; origin?: GettableAlert | undefined }) {
  const { t } = useTranslation();
  switch (preview.status) {
    case 'idle':
      return <Typography.Text type="secondary">{t('silence.previewNeedsMatchers')}</Typography.Text>;
    case 'loading':
      return <Spin size="small" />;
    case 'unreadable':
      return <Typography.Text type="warning">{t('silence.previewUnreadable')}</Typography.Text>;
    case 'error':
      return <ErrorAlert error={preview.error} title={t('silence.previewFailed')} />;
    case 'done': {
      const { alerts } = preview;
      const missesOrigin = origin !== undefined && !alerts.some((a) => a.fingerprint === origin.fingerprint);
      return (
        <div data-testid="silence-preview">
          <Typography.Text strong data-testid="silence-preview-count">
            {t('silence.previewCount', { count: alerts.length })}
          </Typography.Text>
          {preview.local && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
              {t('silence.previewLocal')}
            </Typography.Text>
          )}
          {missesOrigin && (
            <Alert type="warning" showIcon title={t('silence.missesOrigin')} style={{ margin: '6px 0' }} />
          )}
          {alerts.length > 0 && (
            <Flex vertical gap={4} style={{ marginTop: 6 }}>
              {alerts.slice(0, PREVIEW_SHOWN).map((a) => (
                <Flex key={a.fingerprint} gap={8} align="center" wrap data-testid="silence-preview-alert">
                  <SeverityTag tier={severityOf(a.labels)} raw={a.labels.severity} />
                  <Typography.Text strong>{a.labels.alertname ?? '—'}</Typography.Text>
                  <PlaceTags labels={a.labels} />
                </Flex>
              ))}
              {alerts.length > PREVIEW_SHOWN && (
                <Typography.Text type="secondary">
                  {t('silence.previewMore', { count: alerts.length - PREVIEW_SHOWN })}
                </Typography.Text>
              )}
            </Flex>
          )}
        </div>
      );
    }
  }
}
