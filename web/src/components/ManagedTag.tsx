import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

/** Marks an item that the configuration file owns: the UI shows it read-only. */
export function ManagedTag({ managedBy }: { managedBy: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('common.managedByHint', { source: managedBy })}>
      <Tag color="purple" data-testid="managed-tag">
        {t('common.managedByConfig')}
      </Tag>
    </Tooltip>
  );
}
