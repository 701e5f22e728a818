import { Space, Table, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Service } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ManagedTag } from '../../components/ManagedTag';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';

/** The service catalog: what runs, who owns it, where its runbook is. */
export default function ServicesTab() {
  const { t } = useTranslation();
  const api = useApi();
  const services = useLoad(useCallback(() => api.listServices(), [api]));
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;

  return (
    <>
      {services.error !== undefined && <ErrorAlert error={services.error} />}
      <Table<Service>
        size="small"
        rowKey="id"
        loading={services.loading}
        dataSource={services.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (name: string, s) => (
              <Space size={4}>
                <Typography.Text strong>{name}</Typography.Text>
                {s.managedBy !== null && <ManagedTag managedBy={s.managedBy} />}
              </Space>
            ),
          },
          { title: t('common.description'), dataIndex: 'description' },
          { title: t('services.team'), dataIndex: 'team', render: (v: string | null) => v ?? none },
          {
            title: t('services.tier'),
            dataIndex: 'tier',
            render: (v: string | null) => (v === null ? none : <Tag>{v}</Tag>),
          },
          {
            title: t('services.runbook'),
            dataIndex: 'runbookUrl',
            render: (url: string | null) =>
              url === null ? (
                none
              ) : (
                <Typography.Link href={url} target="_blank" rel="noreferrer noopener">
                  {t('services.openRunbook')}
                </Typography.Link>
              ),
          },
          {
            title: t('services.labels'),
            dataIndex: 'labels',
            render: (labels: Record<string, string>) => {
              const entries = Object.entries(labels);
              return entries.length === 0
                ? none
                : entries.map(([k, v]) => (
                    <Tag key={k} style={{ fontFamily: 'monospace' }}>
                      {k}={v}
                    </Tag>
                  ));
            },
          },
        ]}
      />
    </>
  );
}
