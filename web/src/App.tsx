import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AppFrame } from './components/AppFrame';
import { FullPageSpin, StartupError } from './components/FullPageStatus';
import { toLanguage } from './i18n';
import { SECTIONS, type PlaceholderSection, type Section } from './sections';
import { SessionProvider, useSession } from './session';

const SetupPage = lazy(() => import('./pages/SetupPage'));
const LoginPage = lazy(() => import('./pages/LoginPage'));
const SectionPage = lazy(() => import('./pages/SectionPage'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage'));
const SilencesPage = lazy(() => import('./pages/silences/SilencesPage'));
const SilenceDetailPage = lazy(() => import('./pages/silences/SilenceDetailPage'));
const MaintenancePage = lazy(() => import('./pages/maintenance/MaintenancePage'));
const ReceiversPage = lazy(() => import('./pages/receivers/ReceiversPage'));
const ReceiverDetailPage = lazy(() => import('./pages/receivers/ReceiverDetailPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** Sections whose screens are built have their own routes; the others show a placeholder. */
const BUILT: readonly Section[] = ['settings', 'alerts', 'silences', 'maintenance', 'receivers'];
const PLACEHOLDERS = SECTIONS.filter((s): s is PlaceholderSection => !BUILT.includes(s));

/** Chooses what the session allows: setup before any user exists, login without a session, else the frame. */
function AppRoutes() {
  const { state, reload } = useSession();
  const location = useLocation();

  switch (state.status) {
    case 'loading':
      return <FullPageSpin />;
    case 'error':
      return <StartupError error={state.error} onRetry={reload} />;
    case 'setup':
      return location.pathname === '/setup' ? <SetupPage /> : <Navigate to="/setup" replace />;
    case 'anonymous':
      return location.pathname === '/login' ? (
        <LoginPage />
      ) : (
        <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
      );
    case 'authenticated':
      return (
        <Routes>
          <Route path="/login" element={<Navigate to="/overview" replace />} />
          <Route path="/setup" element={<Navigate to="/overview" replace />} />
          <Route element={<AppFrame />}>
            <Route index element={<Navigate to="/overview" replace />} />
            {PLACEHOLDERS.map((s) => (
              <Route key={s} path={s} element={<SectionPage section={s} />} />
            ))}
            <Route path="alerts" element={<AlertsPage />} />
            <Route path="silences" element={<SilencesPage />} />
            <Route path="silences/:id" element={<SilenceDetailPage />} />
            <Route path="maintenance" element={<MaintenancePage />} />
            <Route path="receivers" element={<ReceiversPage />} />
            <Route path="receivers/:name" element={<ReceiverDetailPage />} />
            <Route path="settings" element={<Navigate to="/settings/users" replace />} />
            <Route path="settings/:tab" element={<SettingsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      );
  }
}

/** Whether the system asks for less motion (an accessibility setting; the browser tests ask too). */
const prefersReducedMotion = (): boolean =>
  typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export function App() {
  const { i18n } = useTranslation();
  const language = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  // Without motion, dialogs and menus open in their final place at once.
  const [motion] = useState(() => !prefersReducedMotion());
  return (
    <ConfigProvider
      locale={language === 'zh-CN' ? zhCN : enUS}
      theme={{ token: { borderRadius: 4, motion } }}
      // Keep button labels as written: antd would otherwise space out two-character Chinese labels (取 消).
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <Suspense fallback={<FullPageSpin />}>
              <AppRoutes />
            </Suspense>
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
