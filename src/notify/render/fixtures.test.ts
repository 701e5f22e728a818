// Builders for the render tests: alerts, notifications and options as the outbox would pass them.
// No tests here: named *.test.ts so that the build (tsconfig.build.json) leaves it out.
import type { NotificationContent, NotifiedAlert } from '../payload.js';
import type { RenderOptions } from './types.js';

/** 2026-11-26 10:00 in Shanghai. */
export const T0 = Date.parse('2026-11-26T02:00:00Z');
export const MIN = 60_000;

export function alert(over: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    fingerprint: 'f0000000000000001',
    labels: {
      alertname: 'OrderSyncStalled',
      severity: 'P1',
      service: 'order-sync',
      platform: 'shopee',
      store: 'MY-1',
    },
    annotations: {
      summary: '订单同步停滞',
      value: '0 单/5分钟',
      threshold: '< 1',
      runbook_url: 'https://wiki.example.com/runbooks/order-sync',
    },
    startsAt: T0,
    endsAt: null,
    generatorUrl: 'https://watchpost.example.com/rules/1',
    status: 'firing',
    ...over,
  };
}

export function notification(
  alerts: NotifiedAlert[],
  over: Partial<NotificationContent> = {},
): NotificationContent {
  return {
    receiver: 'ops',
    groupKey: '{}:{alertname="OrderSyncStalled"}',
    groupLabels: { alertname: 'OrderSyncStalled' },
    externalUrl: 'https://watchpost.example.com',
    alerts,
    ...over,
  };
}

export function options(over: Partial<RenderOptions> = {}): RenderOptions {
  return {
    language: 'zh-CN',
    links: {
      detailUrl: 'https://watchpost.example.com/alerts/42',
      ackUrl: 'https://watchpost.example.com/a/ack?sig=1',
      silenceUrl: 'https://watchpost.example.com/a/silence?sig=2',
    },
    mentions: { mobiles: ['13800138000'], userIds: [], all: false },
    idempotencyKey: 'n-42:0',
    now: T0 + 12 * MIN,
    ...over,
  };
}
