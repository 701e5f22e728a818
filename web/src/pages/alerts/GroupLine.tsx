import { CheckCircleOutlined } from '@ant-design/icons';
import { Button, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertDetail } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../session';
import { exactMatchers, formatMatchers } from './alert-model';
import { AbsoluteTime } from './cells';

/**
 * One aggregation group of an alert in the drawer: its receiver and labels, and who acknowledged it,
 * or an "Acknowledge" button while the alert fires (for responders and above).
 */
export function GroupLine({
  group,
  canAcknowledge,
  now,
}: {
  group: AlertDetail['groups'][number];
  /** The user may acknowledge and the alert fires. */
  canAcknowledge: boolean;
  now: number;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [ack, setAck] = useState(group.acknowledged);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const acknowledge = () => {
    setBusy(true);
    setError(undefined);
    api.acknowledgeGroup(group.groupKey).then(
      (r) => {
        setAck({ by: r.acknowledgedBy, at: r.acknowledgedAt });
        setBusy(false);
      },
      (e: unknown) => {
        setError(e);
        setBusy(false);
      },
    );
  };
  return (
    <div data-testid="alert-group">
      <Tooltip title={group.groupKey}>
        <span>
          <Tag style={{ marginInlineEnd: 6 }}>{group.receiver}</Tag>
          <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
            {formatMatchers(exactMatchers(group.labels))}
          </Typography.Text>
        </span>
      </Tooltip>{' '}
      {ack ? (
        <Tag color="blue" icon={<CheckCircleOutlined />} data-testid="group-acknowledged">
          {t('alerts.drawer.acknowledgedBy', { by: ack.by })} · <AbsoluteTime iso={ack.at} now={now} />
        </Tag>
      ) : (
        canAcknowledge && (
          <Tooltip title={t('alerts.drawer.acknowledgeHint')}>
            <Button size="small" loading={busy} onClick={acknowledge} data-testid="group-acknowledge">
              {t('alerts.drawer.acknowledge')}
            </Button>
          </Tooltip>
        )
      )}
      {error !== undefined && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
    </div>
  );
}
