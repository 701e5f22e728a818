import { PauseCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ROLES, type MaintenanceWindow } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useDayjsLocale } from '../../hooks/use-dayjs-locale';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { MaintenanceCalendar } from './MaintenanceCalendar';
import { WindowModal } from './WindowModal';
import { WindowsTable } from './WindowsTable';

/**
 * /maintenance: the maintenance calendar (occurrences by mode) and the list of windows; windows made here
 * can be changed and deleted, those declared in the configuration file are shown read-only.
 */
export default function MaintenancePage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  useDayjsLocale();
  const windows = useLoad(useCallback(() => api.listMaintenance(), [api]));
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<{ target: MaintenanceWindow | 'new'; open: boolean }>({
    target: 'new',
    open: false,
  });
  const [actionError, setActionError] = useState<unknown>(null);
  // The server decides; this only hides what it would certainly refuse (it needs role editor or higher).
  const canWrite = ROLES.indexOf(user.role) >= ROLES.indexOf('editor');

  const changed = () => {
    windows.reload();
    setVersion((v) => v + 1);
  };
  const remove = async (w: MaintenanceWindow) => {
    setActionError(null);
    try {
      await api.deleteMaintenance(w.id);
      void message.success(t('maintenance.deleted', { name: w.name }));
      changed();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Link to="/silences">
              <Button icon={<PauseCircleOutlined />}>{t('nav.silences')}</Button>
            </Link>
            {canWrite && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDialog({ target: 'new', open: true })}
                data-testid="window-new"
              >
                {t('maintenance.new')}
              </Button>
            )}
          </Space>
        }
      >
        {t('nav.maintenance')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('maintenance.intro')}</Typography.Paragraph>
      {windows.error !== undefined && <ErrorAlert error={windows.error} />}
      {actionError !== null && (
        <ErrorAlert error={actionError} testId="windows-action-error" onClose={() => setActionError(null)} />
      )}
      <MaintenanceCalendar version={version} />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('maintenance.windows')}
      </Typography.Title>
      <WindowsTable
        windows={windows.data?.items ?? []}
        loading={windows.loading}
        onEdit={canWrite ? (w) => setDialog({ target: w, open: true }) : undefined}
        onDelete={canWrite ? remove : undefined}
      />
      <WindowModal
        target={dialog.target}
        open={dialog.open}
        onClose={() => setDialog((d) => ({ ...d, open: false }))}
        onSaved={() => {
          setDialog((d) => ({ ...d, open: false }));
          changed();
        }}
      />
    </>
  );
}
