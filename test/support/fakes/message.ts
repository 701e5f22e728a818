// A rendered ChannelMessage for channel tests, as the template step would produce it.
import { after } from 'node:test';
import type { ChannelMessage, SendContext } from '../../../src/notify/channels/channel.js';
import { HttpClient } from '../../../src/notify/http-client.js';
import type { Clock } from '../../../src/kernel/clock.js';

export function sampleMessage(overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    title: '[P1 告警] 订单同步停滞 · shopee MY-1',
    markdown:
      '### [P1 告警] 订单同步停滞\n- **店铺**: shopee MY-1\n- **持续**: 12 分钟\n- **当前值**: 0 单/5分钟（阈值 < 1）',
    text: '[P1 告警] 订单同步停滞 · shopee MY-1，持续 12 分钟',
    severity: 'P1',
    status: 'firing',
    links: [
      { label: '打开', url: 'https://watchpost.example.com/alerts/42' },
      { label: '静默 1 小时', url: 'https://watchpost.example.com/s/abc?sig=xyz' },
    ],
    detailUrl: 'https://watchpost.example.com/alerts/42',
    mentions: { mobiles: [], userIds: [], all: false },
    idempotencyKey: 'n-42:0',
    ...overrides,
  };
}

/**
 * One HTTP client for a channel test file, closed after it, and the send context at a clock's time
 * (`c` for a client with other limits).
 */
export function channelTestClient(): {
  client: HttpClient;
  ctxAt: (clock: Clock, c?: HttpClient) => SendContext;
} {
  const client = new HttpClient();
  after(() => client.close());
  return { client, ctxAt: (clock, c = client) => ({ client: c, now: clock.now(), version: '1.2.3' }) };
}
