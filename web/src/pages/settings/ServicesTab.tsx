import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Service, Tier } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ManagedTag } from '../../components/ManagedTag';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { ServiceModal } from './ServiceModal';

const TIER_COLORS: Record<Tier, string> = { P0: 'red', P1: 'orange', P2: 'gold', P3: 'default' };

/** The runbook address without the scheme, for a compact cell; the full address is the link and its title. */
const shortUrl = (url: string) => url.replace(/^https?:\/\//, '');

/** The service catalog: what runs, who owns it, where its runbook is. Editors and admins change it. */
export default function ServicesTab() {
  const { t } = useTranslation();
  const api = useApi();
  const me = useUser();
  const { message } = App.useApp();
  const services = useLoad(useCallback(() => api.listServices(), [api]));
  // What the dialog edits ('new': creating), kept after closing so that it does not change while fading out.
  const [target, setTarget] = useState<Service | 'new'>('new');
  const [open, setOpen] = useState(false);
  // The outcome of a row action (a refused delete): stays above the table until dismissed.
  const [actionError, setActionError] = useState<unknown>(null);
  // The server decides; this only hides what it would certainly refuse (it needs role editor or higher).
  const canWrite = me.role === 'editor' || me.role === 'admin';
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;

  const edit = (s: Service | 'new') => {
    setTarget(s);
    setOpen(true);
  };

  const remove = async (s: Service) => {
    setActionError(null);
    try {
      await api.deleteService(s.id);
      void message.success(t('services.deleted', { name: s.name }));
      services.reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <>
      {canWrite && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => edit('new')}
            data-testid="service-add"
          >
            {t('services.add')}
          </Button>
        </Flex>
      )}
      {services.error !== undefined && <ErrorAlert error={services.error} />}
      {actionError !== null && (
        <ErrorAlert error={actionError} testId="services-action-error" onClose={() => setActionError(null)} />
      )}
      <Table<Service>
        size="small"
        rowKey="id"
        loading={services.loading}
        dataSource={services.data?.items ?? []}
        pagination={false}
        data-testid="service-table"
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (name: string, s) => (
              <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                <Typography.Text strong>{name}</Typography.Text>
                {s.managedBy !== null && <ManagedTag managedBy={s.managedBy} />}
              </Space>
            ),
          },
          { title: t('common.description'), dataIndex: 'description' },
          {
            title: t('services.team'),
            dataIndex: 'team',
            render: (v: string | null) =>
              v === null ? none : <span style={{ whiteSpace: 'nowrap' }}>{v}</span>,
          },
          {
            title: t('services.tier'),
            dataIndex: 'tier',
            render: (v: Tier | null) =>
              v === null ? (
                none
              ) : (
                <Tooltip title={t(`services.tierMeaning.${v}`)}>
                  <Tag color={TIER_COLORS[v]}>{v}</Tag>
                </Tooltip>
              ),
          },
          {
            title: t('services.runbook'),
            dataIndex: 'runbookUrl',
            render: (url: string | null, s) =>
              url === null ? (
                none
              ) : (
                <Typography.Link
                  href={url}
                  target="_blank"
                  rel="noreferrer noopener"
                  title={url}
                  ellipsis
                  style={{ maxWidth: 220 }}
                  data-testid={`service-runbook-${s.name}`}
                >
                  {shortUrl(url)}
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
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, s: Service) =>
                    s.managedBy === null && (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={t('common.edit')}
                          onClick={() => edit(s)}
                          data-testid={`service-edit-${s.name}`}
                          title={t('common.edit')}
                        />
                        <Popconfirm
                          title={t('services.deleteConfirm', { name: s.name })}
                          okText={t('common.delete')}
                          cancelText={t('common.cancel')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() => remove(s)}
                        >
                          <Button
                            type="link"
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('common.delete')}
                            data-testid={`service-delete-${s.name}`}
                            title={t('common.delete')}
                          />
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <ServiceModal
        target={target}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          services.reload();
        }}
      />
    </>
  );
}
