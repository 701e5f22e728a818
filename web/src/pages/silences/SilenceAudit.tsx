import { Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AuditEntry } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';
import { AbsoluteTime } from '../alerts/cells';

const AUDIT_LIMIT = 100;
const ACTIONS = ['silence.create', 'silence.update', 'silence.expire'] as const;
const COLORS: Record<(typeof ACTIONS)[number], string> = {
  'silence.create': 'green',
  'silence.update': 'blue',
  'silence.expire': 'gray',
};

/** The silence this one replaced, when it was created by changing another (`after.replaces`). */
const replacedId = (e: AuditEntry): string | null => {
  const after = e.after;
  return typeof after === 'object' &&
    after !== null &&
    'replaces' in after &&
    typeof after.replaces === 'string'
    ? after.replaces
    : null;
};

/** Who created, changed and expired the silence, and when (the audit log; administrators only). */
export function SilenceAudit({ id }: { id: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const audit = useLoad(
    useCallback(() => api.listAudit({ limit: AUDIT_LIMIT, targetType: 'silence', targetId: id }), [api, id]),
  );
  if (audit.loading && audit.data === undefined) return <Spin size="small" />;
  if (audit.error !== undefined) return <ErrorAlert error={audit.error} />;
  const entries = audit.data?.items ?? [];
  if (entries.length === 0)
    return <Typography.Text type="secondary">{t('silences.noAudit')}</Typography.Text>;
  const now = Date.now();
  return (
    <Timeline
      data-testid="silence-audit"
      items={entries.map((e) => {
        const known = ACTIONS.find((a) => a === e.action);
        const replaces = replacedId(e);
        return {
          key: e.id,
          color: known ? COLORS[known] : 'gray',
          content: (
            <div data-testid="silence-audit-entry">
              <AbsoluteTime iso={e.at} now={now} />{' '}
              <Tag style={{ marginInlineStart: 6 }}>{known ? t(`silences.audit.${known}`) : e.action}</Tag>
              <Typography.Text>{e.actor.name}</Typography.Text>
              {replaces !== null && (
                <div>
                  <Typography.Text type="secondary">{t('silences.replaces')} </Typography.Text>
                  <Link to={`/silences/${encodeURIComponent(replaces)}`}>
                    <Typography.Text code>{replaces}</Typography.Text>
                  </Link>
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
