// The LiquidJS engine of message templates: one sandboxed engine per MessageRenderer, parsed
// templates cached by source. User templates run under limits (parse length, render time,
// allocations) and can reach only the variables' own properties and the registered filters; they
// cannot read files (no include/render/layout source exists). A failing user template never loses
// the alert: the default template is used instead and the message says so in one line.
import type { Template } from 'liquidjs';
import { Liquid } from 'liquidjs';
import type { ChannelMessage } from '../channels/channel.js';
import { cut } from '../channels/truncate.js';
import type { NotificationContent } from '../payload.js';
import { buildTemplateContext } from './context.js';
import type { DigestOptions } from './digest.js';
import { buildDigest } from './digest.js';
import { registerFilters } from './filters.js';
import { DEFAULT_TIME_ZONE, dateTimeFormatter, escapeMarkdown, isValidTimeZone, oneLine } from './format.js';
import type { LanguagePack } from './language-pack.js';
import { LANGUAGE_PACKS } from './language-pack.js';
import { emergency, emptyMessage } from './fallback.js';
import { sampleNotification } from './sample.js';
import type {
  MessageTemplates,
  RenderLanguage,
  RenderOptions,
  RendererLimits,
  TemplateContext,
  TemplateName,
  TemplateProblem,
} from './types.js';

export const DEFAULT_LIMITS: Required<RendererLimits> = {
  parseLimit: 100_000,
  renderLimitMs: 200,
  memoryLimit: 1_000_000,
  maxOutputChars: 20_000,
  maxTitleChars: 300,
  cacheSize: 200,
  maxListed: 100,
};

/** Default templates are ours and their input is bounded; they get room to spare, not no limit. */
const TRUSTED_FACTOR = 10;
const NAMES: readonly TemplateName[] = ['title', 'markdown', 'text'];
/** `check()` renders against the sample as of this instant (fixed: results must not vary). */
const SAMPLE_NOW = Date.parse('2026-11-26T02:00:00Z');

type Parsed = { ok: true; templates: Template[] } | { ok: false; error: string };

export class MessageRenderer {
  private readonly liquid: Liquid;
  private readonly limits: Required<RendererLimits>;
  private readonly parsed = new Map<string, Parsed>();
  private readonly formatters = new Map<string, ReturnType<typeof dateTimeFormatter>>();
  private readonly zones = new Map<string, boolean>();

  constructor(opts: { limits?: RendererLimits } = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.liquid = new Liquid({
      ownPropertyOnly: true,
      strictFilters: true,
      // An in-memory, empty template store: {% include %}, {% render %} and {% layout %} find
      // nothing instead of reading files from the working directory.
      templates: {},
      parseLimit: this.limits.parseLimit,
      renderLimit: this.limits.renderLimitMs,
      memoryLimit: this.limits.memoryLimit,
    });
    registerFilters(this.liquid, (zone) => this.formatterFor(zone));
  }

  /** The message for `content`; never throws for a bad user template, zone or limit. */
  render(content: NotificationContent, opts: RenderOptions): ChannelMessage {
    const language: RenderLanguage = opts.language === 'en' ? 'en' : 'zh-CN';
    const pack = LANGUAGE_PACKS[language];
    const notes: string[] = [];
    let timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
    if (!this.validZone(timeZone)) {
      notes.push(pack.words.badTimeZone(timeZone));
      timeZone = 'UTC';
    }
    const ctx = buildTemplateContext(content, {
      language,
      timeZone,
      now: opts.now,
      links: opts.links,
      context: opts.context,
      maxListed: Math.min(content.maxAlertsListed ?? 20, this.limits.maxListed),
      formatter: this.formatterFor(timeZone),
    });
    ctx.title = this.renderDefault('title', pack, ctx, (s) => this.oneLineTitle(s));

    const problems: TemplateProblem[] = [];
    const part = (name: TemplateName, finish: (s: string) => string): string => {
      const source = opts.templates?.[name];
      if (source !== undefined && source.trim() !== '') {
        const r = this.renderSource(source, ctx, false);
        const out = r.ok ? finish(r.output) : '';
        if (out !== '') return out;
        problems.push({ template: name, message: r.ok ? emptyMessage(name) : r.error });
      }
      return name === 'title' ? ctx.title : this.renderDefault(name, pack, ctx, finish);
    };
    const title = part('title', (s) => this.oneLineTitle(s));
    let markdown = part('markdown', (s) => this.body(s));
    let text = part('text', (s) => this.body(s));

    if (problems.length > 0)
      notes.push(pack.words.templateError(problems.map((p) => `${p.template}: ${p.message}`).join('; ')));
    for (const note of notes) {
      const n = cut(oneLine(note), 500);
      markdown += `\n\n> ${escapeMarkdown(n)}`;
      text += `\n${n}`;
    }

    const links: ChannelMessage['links'] = [];
    if (opts.links.detailUrl) links.push({ label: pack.words.open, url: opts.links.detailUrl });
    if (opts.links.ackUrl) links.push({ label: pack.words.acknowledge, url: opts.links.ackUrl });
    if (opts.links.silenceUrl) links.push({ label: pack.words.silence, url: opts.links.silenceUrl });

    return {
      title,
      markdown,
      text,
      severity: ctx.severity,
      status: ctx.status,
      links,
      detailUrl: opts.links.detailUrl,
      mentions: opts.mentions,
      idempotencyKey: opts.idempotencyKey,
    };
  }

  /** Several notifications for one throttled destination merged into one message. */
  renderDigest(
    messages: ChannelMessage[],
    opts: { language: RenderLanguage } & DigestOptions,
  ): ChannelMessage {
    return buildDigest(messages, opts, packOf(opts.language).words);
  }

  /**
   * The problems of `templates`, each naming its template and carrying LiquidJS's message (with
   * line and column): syntax errors, unknown filters, and errors or limits hit when rendering a
   * sample notification. [] when all are fine.
   */
  check(templates: MessageTemplates): TemplateProblem[] {
    const problems: TemplateProblem[] = [];
    const sample = buildTemplateContext(sampleNotification(SAMPLE_NOW), {
      language: 'zh-CN',
      timeZone: DEFAULT_TIME_ZONE,
      now: SAMPLE_NOW,
      links: { detailUrl: 'https://watchpost.example.com/alerts/42' },
      maxListed: 20,
    });
    sample.title = this.renderDefault('title', LANGUAGE_PACKS['zh-CN'], sample, (s) => this.oneLineTitle(s));
    for (const name of NAMES) {
      const source = templates[name];
      if (source === undefined || source.trim() === '') continue;
      const r = this.renderSource(source, sample, false);
      if (!r.ok) problems.push({ template: name, message: r.error });
    }
    return problems;
  }

  private renderDefault(
    name: TemplateName,
    pack: LanguagePack,
    ctx: TemplateContext,
    finish: (s: string) => string,
  ): string {
    const r = this.renderSource(pack.templates[name], ctx, true);
    const out = r.ok ? finish(r.output) : '';
    // Last resort, should a default template ever fail: the alert still goes out, in plain words.
    return out !== '' ? out : finish(emergency(name, pack, ctx));
  }

  private renderSource(
    source: string,
    ctx: TemplateContext,
    trusted: boolean,
  ): { ok: true; output: string } | { ok: false; error: string } {
    const parsed = this.parse(source);
    if (!parsed.ok) return parsed;
    const f = trusted ? TRUSTED_FACTOR : 1;
    try {
      // A shallow copy: {% increment %} writes into the variables' top level, and one template
      // must not change what the next one sees.
      const output: unknown = this.liquid.renderSync(
        parsed.templates,
        { ...ctx },
        {
          renderLimit: this.limits.renderLimitMs * f,
          memoryLimit: this.limits.memoryLimit * f,
        },
      );
      return { ok: true, output: typeof output === 'string' ? output : String(output) };
    } catch (e) {
      return { ok: false, error: this.describe(e) };
    }
  }

  private parse(source: string): Parsed {
    const hit = this.parsed.get(source);
    if (hit) {
      // Least recently used goes first: re-insert on use.
      this.parsed.delete(source);
      this.parsed.set(source, hit);
      return hit;
    }
    let p: Parsed;
    try {
      p = { ok: true, templates: this.liquid.parse(source) };
    } catch (e) {
      p = { ok: false, error: this.describe(e) };
    }
    this.parsed.set(source, p);
    for (const key of this.parsed.keys()) {
      if (this.parsed.size <= this.limits.cacheSize) break;
      this.parsed.delete(key);
    }
    return p;
  }

  /** LiquidJS's message (it names line and column); for a limit, what the limits are. */
  private describe(e: unknown): string {
    const msg = cut(oneLine(e instanceof Error ? e.message : String(e)), 300);
    if (!/limit exceeded/.test(msg)) return msg;
    const l = this.limits;
    return `${msg} (templates may use ${l.parseLimit} characters of source, ${l.renderLimitMs} ms and ${l.memoryLimit} allocation units per render)`;
  }

  /** Whether `zone` is an IANA zone this runtime knows, remembered (few zones are ever used). */
  private validZone(zone: string): boolean {
    let ok = this.zones.get(zone);
    if (ok === undefined) {
      ok = isValidTimeZone(zone);
      if (this.zones.size >= 50) this.zones.clear();
      this.zones.set(zone, ok);
    }
    return ok;
  }

  private formatterFor(zone: string): ReturnType<typeof dateTimeFormatter> {
    let f = this.formatters.get(zone);
    if (!f) {
      f = dateTimeFormatter(zone);
      // Few zones are ever used; the bound only guards against a caller passing many.
      if (this.formatters.size >= 50) this.formatters.clear();
      this.formatters.set(zone, f);
    }
    return f;
  }

  private oneLineTitle(s: string): string {
    return cut(oneLine(s), this.limits.maxTitleChars);
  }

  /** Trailing spaces dropped, runs of blank lines made one, cut to the output bound. */
  private body(s: string): string {
    const tidy = s
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return cut(tidy, this.limits.maxOutputChars);
  }
}

const packOf = (language: RenderLanguage): LanguagePack =>
  language === 'en' ? LANGUAGE_PACKS.en : LANGUAGE_PACKS['zh-CN'];
