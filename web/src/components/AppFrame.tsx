import { DownOutlined, IdcardOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Layout, Menu, Spin, Tag, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { SECTION_ICONS, SECTIONS, type Section } from '../sections';
import { useSession, useUser } from '../session';
import { AccountModal } from './AccountModal';
import { LanguageSwitch } from './LanguageSwitch';
import { Logo } from './Logo';

function sectionOf(pathname: string): Section | undefined {
  const first = pathname.split('/')[1];
  return SECTIONS.find((s) => s === first);
}

/** The signed-in frame: section menu on the left; language and the user menu (my account, log out) in the header. */
export function AppFrame() {
  const { t } = useTranslation();
  const { logout } = useSession();
  const user = useUser();
  const { message } = App.useApp();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [accountOpen, setAccountOpen] = useState(false);
  const current = sectionOf(location.pathname);

  const onLogout = () => {
    setLeaving(true);
    // logout() always ends the session in this browser; a failure only means the server was not told.
    logout().catch(() => message.warning(t('header.logoutUnconfirmed')));
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={224} theme="dark">
        <Link to="/overview" style={{ display: 'block' }}>
          <Flex align="center" gap={10} style={{ height: 56, padding: collapsed ? '0 26px' : '0 20px' }}>
            <Logo />
            {!collapsed && (
              <Typography.Text strong style={{ color: '#fff', fontSize: 16 }}>
                {t('app.name')}
              </Typography.Text>
            )}
          </Flex>
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current ? [current] : []}
          items={SECTIONS.map((s) => ({
            key: s,
            icon: SECTION_ICONS[s],
            label: (
              <Link to={`/${s}`} data-testid={`nav-${s}`}>
                {t(`nav.${s}`)}
              </Link>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 20px',
            height: 56,
            lineHeight: '56px',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Flex align="center" justify="flex-end" gap={16} style={{ height: '100%' }}>
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              placement="bottomRight"
              menu={{
                items: [
                  {
                    key: 'account',
                    icon: <IdcardOutlined />,
                    label: <span data-testid="menu-account">{t('header.myAccount')}</span>,
                  },
                  { type: 'divider' },
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: <span data-testid="logout">{t('header.logout')}</span>,
                  },
                ],
                onClick: ({ key }) => (key === 'account' ? setAccountOpen(true) : onLogout()),
              }}
            >
              <Button
                type="text"
                loading={leaving}
                title={t('header.userMenu')}
                data-testid="user-menu"
                style={{ height: 40 }}
              >
                <Flex align="center" gap={6}>
                  {!leaving && <UserOutlined />}
                  <Typography.Text strong data-testid="header-user">
                    {user.displayName || user.username}
                  </Typography.Text>
                  <Tag style={{ marginInlineEnd: 0 }}>{t(`roles.${user.role}`)}</Tag>
                  <DownOutlined style={{ fontSize: 10 }} />
                </Flex>
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 20 }}>
          <Suspense
            fallback={
              <Flex justify="center" style={{ paddingTop: 80 }}>
                <Spin />
              </Flex>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <AccountModal open={accountOpen} onClose={() => setAccountOpen(false)} />
    </Layout>
  );
}
