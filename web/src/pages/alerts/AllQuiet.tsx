import { Card, Result, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';

const snippetStyle = {
  margin: '6px 0 14px',
  padding: '8px 12px',
  background: 'rgba(0, 0, 0, 0.03)',
  border: '1px solid #f0f0f0',
  borderRadius: 4,
  fontSize: 12,
  lineHeight: 1.5,
  overflowX: 'auto' as const,
};

/** Nothing fires: say so plainly, and show the two ways alerts get here. */
export function AllQuiet() {
  const { t } = useTranslation();
  const { protocol, host, origin } = window.location;
  const prometheus = [
    'alerting:',
    '  alertmanagers:',
    ...(protocol === 'https:' ? ['    - scheme: https', '      static_configs:'] : ['    - static_configs:']),
    `        - targets: ['${host}']`,
    '      authorization:',
    '        credentials: <ingest token>',
  ].join('\n');
  const curl = [
    `curl -X POST ${origin}/api/v2/alerts \\`,
    `  -H 'Authorization: Bearer <ingest token>' -H 'Content-Type: application/json' \\`,
    `  -d '[{"labels":{"alertname":"OrderSyncStalled","service":"erp","platform":"shopee","store":"MY-1","severity":"error"},`,
    `       "annotations":{"summary":"No order synced from Shopee MY-1 for 15 min"}}]'`,
  ].join('\n');
  return (
    <div data-testid="alerts-all-quiet">
      <Result status="success" title={t('alerts.allQuiet')} subTitle={t('alerts.allQuietHint')} />
      <Card size="small" title={t('alerts.howToSend')} style={{ maxWidth: 860, margin: '0 auto' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          <Trans i18nKey="alerts.howPrometheus" components={{ code: <code /> }} />
        </Typography.Paragraph>
        <pre style={snippetStyle}>{prometheus}</pre>
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          <Trans i18nKey="alerts.howPost" components={{ code: <code /> }} />
        </Typography.Paragraph>
        <pre style={snippetStyle}>{curl}</pre>
        <Typography.Text type="secondary">
          <Trans i18nKey="alerts.howToken" components={{ tokens: <Link to="/settings/tokens" /> }} />
        </Typography.Text>
      </Card>
    </div>
  );
}
