import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import { Logo } from './Logo';

/** The frame of the pages seen before signing in: setup and login. */
export function AuthLayout({
  title,
  children,
  width = 400,
}: {
  title: string;
  children: ReactNode;
  width?: number;
}) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', background: '#f0f2f5', padding: '0 16px' }}>
      <Flex justify="flex-end" style={{ width: '100%', padding: '16px 8px' }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical align="center" gap={8} style={{ marginTop: '6vh', marginBottom: 24 }}>
        <Logo size={40} />
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
      </Flex>
      <Card style={{ width: '100%', maxWidth: width }}>
        <Typography.Title level={4} data-testid="page-title" style={{ marginTop: 0, marginBottom: 20 }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </Flex>
  );
}
