// The template preview: a sample notification rendered with a receiver's language and templates,
// overridden by what the user is editing, firing or resolved, with the problems the templates have.
import type { ReceiverConfig } from '../config/model.js';
import type { ChannelMessage } from './channels/channel.js';
import { testedReceiver } from './delivery/test-send.js';
import type { ActionLinks } from './links.js';
import type { MessageRenderer, MessageTemplates, TemplateProblem } from './render/index.js';
import { sampleNotification } from './render/index.js';

export interface PreviewInput {
  /** Start from this receiver's language and templates. */
  receiver?: string | undefined;
  language?: 'zh-CN' | 'en' | undefined;
  templates?: MessageTemplates | undefined;
  /** Preview the resolved notification. */
  resolved?: boolean | undefined;
}

export interface PreviewDeps {
  renderer: MessageRenderer;
  links: ActionLinks;
  timeZone: string;
  externalUrl: string;
}

/** Throws `not_found` for an unknown receiver. */
export function previewMessage(
  d: PreviewDeps,
  receivers: readonly ReceiverConfig[],
  input: PreviewInput,
  now: number,
): { message: ChannelMessage; problems: TemplateProblem[] } {
  const receiver =
    input.receiver === undefined ? undefined : testedReceiver(receivers, input.receiver, undefined);
  const templates: MessageTemplates = { ...receiver?.templates, ...input.templates };
  const language = input.language ?? receiver?.language ?? 'zh-CN';
  const sample = {
    ...sampleNotification(now),
    externalUrl: d.externalUrl,
    receiver: receiver?.name ?? 'preview',
  };
  const content = input.resolved
    ? { ...sample, alerts: sample.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: now })) }
    : sample;
  const message = d.renderer.render(content, {
    language,
    templates,
    links: d.links.forContent(content, language),
    mentions: { mobiles: [], userIds: [], all: false },
    idempotencyKey: 'preview',
    now,
    timeZone: d.timeZone,
  });
  return { message, problems: d.renderer.check(templates) };
}
