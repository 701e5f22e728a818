import { Button, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SilenceSaved } from '../../api';

/** After saving: the new (or changed) silence's id, and for a replaced one the id it replaced. */
export function SilenceSavedResult({ saved, onClose }: { saved: SilenceSaved; onClose: () => void }) {
  const { t } = useTranslation();
  const id = saved.silence.id;
  const replaced = saved.outcome === 'replaced';
  return (
    <Result
      status="success"
      title={
        <span data-testid="silence-success">
          {t(
            replaced
              ? 'silences.replacedTitle'
              : saved.outcome === 'updated'
                ? 'silences.updatedTitle'
                : 'silence.createdTitle',
          )}
        </span>
      }
      subTitle={
        <>
          {replaced && (
            <div data-testid="silence-replaced">{t('silences.replacedHelp', { id: saved.replaces })}</div>
          )}
          {t('silence.createdId')}{' '}
          <Typography.Text code copyable data-testid="silence-id">
            {id}
          </Typography.Text>
        </>
      }
      extra={[
        <Link key="view" to={`/silences/${encodeURIComponent(id)}`} onClick={onClose}>
          <Button data-testid="silence-view">{t('silence.view')}</Button>
        </Link>,
        <Button key="done" type="primary" onClick={onClose} data-testid="silence-done">
          {t('silence.done')}
        </Button>,
      ]}
    />
  );
}
