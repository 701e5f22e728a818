import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Badge, Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { MaintenanceWindow } from '../../api';
import { ManagedTag } from '../../components/ManagedTag';
import { MatcherTags } from '../../components/MatcherTags';
import { formatTime } from '../../format';
import { RelativeTime } from '../alerts/cells';
import { describeSchedule, MODE_COLORS } from './maintenance-model';

/** Every window: active ones first and highlighted, then by next start; declared ones read-only. */
export function WindowsTable({
  windows,
  loading,
  onEdit,
  onDelete,
}: {
  windows: readonly MaintenanceWindow[];
  loading: boolean;
  /** Absent for a user who may not change windows. */
  onEdit: ((w: MaintenanceWindow) => void) | undefined;
  onDelete: ((w: MaintenanceWindow) => Promise<void>) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const now = Date.now();
  const sorted = [...windows].sort(
    (a, b) =>
      Number(b.activeNow) - Number(a.activeNow) ||
      (a.nextStartsAt === null ? 1 : 0) - (b.nextStartsAt === null ? 1 : 0) ||
      Date.parse(a.nextStartsAt ?? '') - Date.parse(b.nextStartsAt ?? '') ||
      a.name.localeCompare(b.name),
  );
  const fmt = (iso: string) => formatTime(iso, i18n.language);
  return (
    <Table<MaintenanceWindow>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={sorted}
      pagination={false}
      data-testid="windows-table"
      locale={{ emptyText: t('maintenance.empty') }}
      onRow={(w) =>
        ({
          'data-testid': 'window-row',
          'data-name': w.name,
          style: w.activeNow ? { background: '#f6ffed' } : undefined,
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: t('common.name'),
          key: 'name',
          render: (_, w) => (
            <Space size={4} wrap>
              <Typography.Text strong>{w.name}</Typography.Text>
              {w.activeNow && (
                <Badge status="processing" text={t('maintenance.activeNow')} data-testid="window-active" />
              )}
              {w.source === 'config' && <ManagedTag managedBy={w.managedBy ?? t('maintenance.configFile')} />}
            </Space>
          ),
        },
        {
          title: t('maintenance.schedule'),
          key: 'schedule',
          render: (_, w) => (
            <span data-testid="window-schedule">
              <Tag style={{ marginInlineEnd: 4 }}>{t(`maintenance.kind.${w.schedule.kind}`)}</Tag>
              {describeSchedule(w.schedule, t, fmt)}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {w.timeZone}
                </Typography.Text>
              </div>
            </span>
          ),
        },
        {
          title: t('maintenance.mode'),
          key: 'mode',
          render: (_, w) => (
            <Tooltip title={t(`maintenance.modeHelp.${w.mode}`)}>
              <Tag color={MODE_COLORS[w.mode]}>{t(`maintenance.modes.${w.mode}`)}</Tag>
            </Tooltip>
          ),
        },
        {
          title: t('silence.matchers'),
          key: 'matchers',
          render: (_, w) => <MatcherTags matchers={w.matchers} />,
        },
        {
          title: t('maintenance.nextStart'),
          key: 'next',
          render: (_, w) =>
            w.nextStartsAt === null ? (
              <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
            ) : (
              <RelativeTime iso={w.nextStartsAt} now={now} />
            ),
        },
        {
          title: t('silence.comment'),
          key: 'comment',
          render: (_, w) => (
            <Typography.Text ellipsis={{ tooltip: w.comment }} style={{ maxWidth: 240 }}>
              {w.comment || '—'}
            </Typography.Text>
          ),
        },
        ...(onEdit === undefined || onDelete === undefined
          ? []
          : [
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, w: MaintenanceWindow) =>
                  w.source === 'api' && (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        title={t('common.edit')}
                        aria-label={t('common.edit')}
                        onClick={() => onEdit(w)}
                        data-testid="window-edit"
                      />
                      <Popconfirm
                        title={t('maintenance.deleteConfirm', { name: w.name })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => onDelete(w)}
                      >
                        <Button
                          type="link"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          title={t('common.delete')}
                          aria-label={t('common.delete')}
                          data-testid="window-delete"
                        />
                      </Popconfirm>
                    </Space>
                  ),
              },
            ]),
      ]}
    />
  );
}
