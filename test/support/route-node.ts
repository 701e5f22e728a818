// A route-tree node for unit tests, with Alertmanager's default timings and Watchpost's defaults.
import type { RouteNode } from '../../src/config/model.js';

export const routeNode = (id: string, over: Partial<RouteNode> = {}): RouteNode => ({
  id,
  receiver: 'default',
  groupBy: ['alertname'],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 14_400_000,
  continue: false,
  matchers: [],
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  flapping: { threshold: 4, windowMs: 3_600_000 },
  storm: { maxAlertsListed: 20 },
  routes: [],
  ...over,
});
