// What one language of messages consists of: the three default templates and the fixed words the
// renderer adds itself (link labels, notes, the digest). One pack per RenderLanguage, checked by
// the compiler, so a new language cannot miss a word.
import type { MessageTemplates, RenderLanguage } from './types.js';
import { en } from './defaults.en.js';
import { zhCN } from './defaults.zh-CN.js';

export interface LanguagePack {
  templates: Required<MessageTemplates>;
  words: {
    open: string;
    acknowledge: string;
    silence: string;
    /** The one-line note appended when a user template failed; `problems` names each template. */
    templateError: (problems: string) => string;
    badTimeZone: (zone: string) => string;
    digestTitle: (count: string) => string;
    digestCounts: (firing: string, resolved: string) => string;
    digestMore: (count: string) => string;
    /** What a message says is wrong when the alerts carry neither a summary nor an alertname. */
    noSummary: string;
  };
}

export const LANGUAGE_PACKS = { 'zh-CN': zhCN, en } satisfies Record<RenderLanguage, LanguagePack>;
