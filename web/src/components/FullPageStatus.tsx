import { Button, Flex, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { errorTitle } from '../error-text';

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" description={t('common.loading')} />
    </Flex>
  );
}

/** The server could not be asked whether setup or sign-in is needed. */
export function StartupError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const detail = error instanceof ApiError && error.code !== 'network' ? error.message : undefined;
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Result
        status="error"
        title={t('errors.startFailed')}
        subTitle={
          <>
            <div>{errorTitle(t, error)}</div>
            {detail !== undefined && <div>{detail}</div>}
          </>
        }
        extra={
          <Button type="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        }
      />
    </Flex>
  );
}
