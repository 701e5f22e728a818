import { Result, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useUser } from '../../session';
import NotFoundPage from '../NotFoundPage';
import AuditTab from './AuditTab';
import ServicesTab from './ServicesTab';
import TeamsTab from './TeamsTab';
import TokensTab from './TokensTab';
import UsersTab from './UsersTab';

const TABS = ['users', 'teams', 'services', 'tokens', 'audit'] as const;
type Tab = (typeof TABS)[number];

const isTab = (s: string | undefined): s is Tab => TABS.some((t) => t === s);

const CONTENT: Record<Tab, ReactNode> = {
  users: <UsersTab />,
  teams: <TeamsTab />,
  services: <ServicesTab />,
  tokens: <TokensTab />,
  audit: <AuditTab />,
};

/** Settings, one tab per route (/settings/<tab>) so that each tab can be linked to and reloaded. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const { tab } = useParams();
  const navigate = useNavigate();
  const user = useUser();
  if (!isTab(tab)) return <NotFoundPage />;

  const visible = TABS.filter((k) => k !== 'audit' || user.role === 'admin');
  const content =
    tab === 'audit' && user.role !== 'admin' ? (
      <Result status="403" subTitle={t('audit.adminsOnly')} />
    ) : (
      CONTENT[tab]
    );

  return (
    <>
      <PageTitle>{t('nav.settings')}</PageTitle>
      <Tabs
        activeKey={tab}
        onChange={(key) => void navigate(`/settings/${key}`)}
        destroyOnHidden
        items={visible.map((k) => ({
          key: k,
          label: <span data-testid={`settings-tab-${k}`}>{t(`settings.${k}`)}</span>,
          children: k === tab ? content : null,
        }))}
      />
      {!visible.includes(tab) && content}
    </>
  );
}
