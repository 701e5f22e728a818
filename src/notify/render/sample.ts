// Pure: a small, realistic notification used to try templates out: `check()` renders user
// templates against it to find errors that only show when rendering (limits, bad loops), and the
// preview can show it. Three alerts, so loops over `alerts` run; one resolved, one flapping.
import type { NotificationContent } from '../payload.js';

/** A notification of three order-sync alerts as of `now` (epoch ms). */
export function sampleNotification(now: number): NotificationContent {
  const labels = (store: string, severity: string) => ({
    alertname: 'OrderSyncStalled',
    service: 'order-sync',
    env: 'prod',
    platform: 'shopee',
    store,
    severity,
  });
  const annotations = (store: string) => ({
    summary: '订单同步停滞 / Order sync stalled',
    description: `No orders synced from shopee ${store} for 12 minutes.`,
    runbook_url: 'https://wiki.example.com/runbooks/order-sync',
    value: '0',
    threshold: '< 1',
  });
  return {
    receiver: 'ops',
    groupKey: '{}:{alertname="OrderSyncStalled"}',
    groupLabels: { alertname: 'OrderSyncStalled' },
    externalUrl: 'https://watchpost.example.com',
    alerts: [
      {
        fingerprint: 'a1b2c3d4e5f60001',
        labels: labels('MY-1', 'P1'),
        annotations: annotations('MY-1'),
        startsAt: now - 12 * 60_000,
        endsAt: null,
        generatorUrl: 'https://watchpost.example.com/rules/order-sync',
        status: 'firing',
      },
      {
        fingerprint: 'a1b2c3d4e5f60002',
        labels: labels('SG-2', 'P2'),
        annotations: annotations('SG-2'),
        startsAt: now - 30 * 60_000,
        endsAt: null,
        generatorUrl: 'https://watchpost.example.com/rules/order-sync',
        status: 'firing',
        flapping: true,
      },
      {
        fingerprint: 'a1b2c3d4e5f60003',
        labels: labels('TH-3', 'P2'),
        annotations: annotations('TH-3'),
        startsAt: now - 65 * 60_000,
        endsAt: now - 5 * 60_000,
        generatorUrl: 'https://watchpost.example.com/rules/order-sync',
        status: 'resolved',
      },
    ],
  };
}
