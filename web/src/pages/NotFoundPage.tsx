import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

export default function NotFoundPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Result
      status="404"
      title={<span data-testid="page-title">{t('notFound.title')}</span>}
      subTitle={t('notFound.description', { path: pathname })}
      extra={
        <Link to="/overview">
          <Button type="primary">{t('notFound.back')}</Button>
        </Link>
      }
    />
  );
}
