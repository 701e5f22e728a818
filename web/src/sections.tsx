import {
  AlertOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CheckCircleOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FireOutlined,
  PauseCircleOutlined,
  ScheduleOutlined,
  RocketOutlined,
  SendOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

/** The sections of the left menu, in menu order; each key is also its route path and its i18n key. */
export const SECTIONS = [
  'overview',
  'alerts',
  'incidents',
  'checks',
  'rules',
  'silences',
  'maintenance',
  'receivers',
  'oncall',
  'deploys',
  'reports',
  'settings',
] as const;

export type Section = (typeof SECTIONS)[number];
export type PlaceholderSection = Exclude<Section, 'settings'>;

export const SECTION_ICONS: Record<Section, ReactNode> = {
  overview: <DashboardOutlined />,
  alerts: <AlertOutlined />,
  incidents: <FireOutlined />,
  checks: <CheckCircleOutlined />,
  rules: <FileSearchOutlined />,
  silences: <PauseCircleOutlined />,
  maintenance: <ScheduleOutlined />,
  receivers: <SendOutlined />,
  oncall: <CalendarOutlined />,
  deploys: <RocketOutlined />,
  reports: <BarChartOutlined />,
  settings: <SettingOutlined />,
};
