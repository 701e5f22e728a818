// The render step's public API (issue 4): NotificationContent → ChannelMessage.
export { MessageRenderer, DEFAULT_LIMITS } from './renderer.js';
export { MAX_LISTED as DIGEST_MAX_LISTED } from './digest.js';
export type {
  MessageTemplates,
  RelatedContext,
  RenderOptions,
  RendererLimits,
  RenderLanguage,
  TemplateAlert,
  TemplateContext,
  TemplateName,
  TemplateProblem,
  TemplateStorm,
} from './types.js';
export { buildTemplateContext } from './context.js';
export { sampleNotification } from './sample.js';
export { CUSTOM_FILTERS } from './filters.js';
