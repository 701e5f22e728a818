import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { App } from '../http/server.js';
import type { Clock } from '../kernel/clock.js';
import { IdParams, Nullable, errors, iso, isoOrNull } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { DomainError } from '../kernel/errors.js';
import { formatDuration, parseDuration } from '../kernel/duration.js';
import { toApiMatcher } from '../kernel/matchers.js';
import type { MaintenanceRequest, MaintenanceService } from './maintenance.service.js';
import { CALENDAR_MAX_RANGE_MS } from './maintenance.service.js';
import type { MaintenanceSchedule, MaintenanceWindow, Weekday } from './maintenance.js';
import {
  MAINTENANCE_MODES,
  SCHEDULE_KINDS,
  activeAt,
  compileWindow,
  nextStart,
  validateWindow,
} from './maintenance.js';
import { matcherFromApi } from './silence.js';

export interface MaintenanceRouteDeps {
  maintenance: MaintenanceService;
  /** Decides `activeNow` and `nextStartsAt` in answers. */
  clock: Clock;
}

const DateTime = (description: string) => Type.String({ format: 'date-time', description });

const ApiMatcher = Type.Object({
  name: Type.String({ maxLength: 256 }),
  value: Type.String({ maxLength: 4096 }),
  isRegex: Type.Boolean(),
  isEqual: Type.Optional(Type.Boolean({ description: 'false negates the matcher (!= or !~); default true' })),
});

const MatcherOut = Type.Object({
  name: Type.String(),
  value: Type.String(),
  isRegex: Type.Boolean(),
  isEqual: Type.Boolean(),
});

const KIND_DESCRIPTION =
  'once: startsAt … endsAt. cron: each time `cron` fires, for `duration`. weekly: on `days` (mon … sun) from `start` to `end`. monthly: on `days` (1 … 31, -1 = the last day; a day a month lacks is skipped) from `start` to `end`. For weekly and monthly an end at or before the start is on the next day (22:00 → 06:00; 00:00 → 00:00 is a whole day). Times are read in the window’s timeZone; a start skipped by a daylight-saving change begins at the first valid instant after it.';

/** What a client sends: the fields of its kind, and no others. */
const ScheduleIn = Type.Object(
  {
    kind: Type.Enum(SCHEDULE_KINDS, { description: KIND_DESCRIPTION }),
    startsAt: Type.Optional(DateTime('once: when the window starts')),
    endsAt: Type.Optional(DateTime('once: when it ends (excluded); after startsAt')),
    cron: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'cron: five fields, minute hour day-of-month month day-of-week, read in timeZone; e.g. "0 2 * * 0" = Sundays 02:00. Also @daily, @weekly, L (last day of the month)',
      }),
    ),
    duration: Type.Optional(
      Type.String({ maxLength: 32, description: 'cron: how long each firing lasts, e.g. 2h, 90m, 1h30m' }),
    ),
    days: Type.Optional(
      Type.Array(Type.Union([Type.String({ maxLength: 16 }), Type.Integer()]), {
        maxItems: 32,
        description: 'weekly: mon, tue, wed, thu, fri, sat, sun. monthly: 1 … 31, or -1 for the last day',
      }),
    ),
    start: Type.Optional(Type.String({ maxLength: 5, description: 'weekly, monthly: HH:MM, 00:00 … 23:59' })),
    end: Type.Optional(
      Type.String({
        maxLength: 5,
        description: 'weekly, monthly: HH:MM, 00:00 … 24:00; at or before start = next day',
      }),
    ),
  },
  { additionalProperties: false },
);

const ScheduleOut = Type.Union([
  Type.Object({ kind: Type.Literal('once'), startsAt: Type.String(), endsAt: Type.String() }),
  Type.Object({ kind: Type.Literal('cron'), cron: Type.String(), duration: Type.String() }),
  Type.Object({
    kind: Type.Literal('weekly'),
    days: Type.Array(Type.String()),
    start: Type.String(),
    end: Type.String(),
  }),
  Type.Object({
    kind: Type.Literal('monthly'),
    days: Type.Array(Type.Integer()),
    start: Type.String(),
    end: Type.String(),
  }),
]);

const WindowIn = Type.Object(
  {
    name: Type.String({ maxLength: 200, description: 'Unique; people recognise the window by it' }),
    matchers: Type.Array(ApiMatcher, {
      maxItems: 64,
      description:
        'Alerts the window covers: all must hold (Alertmanager’s matcher JSON, as for silences). At least one must not match the empty string.',
    }),
    schedule: ScheduleIn,
    timeZone: Type.String({
      maxLength: 64,
      description: 'IANA time zone the schedule is read in, e.g. Asia/Shanghai, Europe/Berlin, UTC',
    }),
    mode: Type.Optional(
      Type.Enum(MAINTENANCE_MODES, {
        description:
          'mute (default): notifications about covered alerts are not sent. expected: the same, and the alerts are marked as expected (caused by the maintenance).',
      }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 10_000, description: 'What is being done, a ticket' })),
    createdBy: Type.Optional(
      Type.String({ maxLength: 256, description: 'Default (or ""): the authenticated user’s name' }),
    ),
  },
  { additionalProperties: false },
);

const WindowOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  matchers: Type.Array(MatcherOut),
  schedule: ScheduleOut,
  timeZone: Type.String(),
  mode: Type.Enum(MAINTENANCE_MODES),
  comment: Type.String(),
  createdBy: Type.String(),
  source: Type.Enum(['api', 'config'], {
    description: 'config: declared by the configuration file, read-only here (change it in the file)',
  }),
  managedBy: Nullable(Type.String({ description: 'The configuration file declaring it' })),
  activeNow: Type.Boolean(),
  nextStartsAt: Nullable(Type.String({ description: 'When it next begins; null when it never will' })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const CalendarEntry = Type.Object({
  windowId: Type.String(),
  name: Type.String(),
  mode: Type.Enum(MAINTENANCE_MODES),
  startsAt: Type.String(),
  endsAt: Type.String({ description: 'Excluded' }),
});

const scheduleJson = (s: MaintenanceSchedule): Static<typeof ScheduleOut> => {
  switch (s.kind) {
    case 'once':
      return { kind: 'once', startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) };
    case 'cron':
      return { kind: 'cron', cron: s.cron, duration: formatDuration(s.durationMs) };
    case 'weekly':
      return { kind: 'weekly', days: [...s.days], start: s.start, end: s.end };
    case 'monthly':
      return { kind: 'monthly', days: [...s.days], start: s.start, end: s.end };
  }
};

/** The JSON of a window, with whether it is in effect at `now` and when it next begins. */
export function windowJson(w: MaintenanceWindow, now: number): Static<typeof WindowOut> {
  const cw = compileWindow(w);
  return {
    id: w.id,
    name: w.name,
    matchers: w.matchers.map(toApiMatcher),
    schedule: scheduleJson(w.schedule),
    timeZone: w.timeZone,
    mode: w.mode,
    comment: w.comment,
    createdBy: w.createdBy,
    source: w.source,
    managedBy: w.managedBy,
    activeNow: activeAt(cw, now),
    nextStartsAt: isoOrNull(nextStart(cw, now)),
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
  };
}

const FIELDS_OF: Record<MaintenanceSchedule['kind'], readonly string[]> = {
  once: ['startsAt', 'endsAt'],
  cron: ['cron', 'duration'],
  weekly: ['days', 'start', 'end'],
  monthly: ['days', 'start', 'end'],
};

/**
 * The request as the service takes it, or `invalid` listing every problem at once: what the
 * JSON shape cannot say (fields of another kind, durations) and everything validateWindow finds.
 */
function toRequest(b: Static<typeof WindowIn>): MaintenanceRequest {
  const problems: ErrorDetail[] = [];
  const s = b.schedule;
  for (const key of Object.keys(s))
    if (key !== 'kind' && !FIELDS_OF[s.kind].includes(key))
      problems.push({
        path: `/schedule/${key}`,
        message: `not used by a ${s.kind} schedule (it takes ${FIELDS_OF[s.kind].join(', ')}): remove it`,
      });
  const time = (v: string | undefined) => (v === undefined ? NaN : Date.parse(v));
  let schedule: MaintenanceSchedule;
  switch (s.kind) {
    case 'once':
      schedule = { kind: 'once', startsAt: time(s.startsAt), endsAt: time(s.endsAt) };
      break;
    case 'cron': {
      let durationMs = NaN;
      if (s.duration !== undefined)
        try {
          durationMs = parseDuration(s.duration);
        } catch (e) {
          problems.push({ path: '/schedule/duration', message: (e as Error).message });
        }
      schedule = { kind: 'cron', cron: s.cron ?? '', durationMs };
      break;
    }
    case 'weekly':
      schedule = {
        kind: 'weekly',
        days: (s.days ?? []) as Weekday[],
        start: s.start as string,
        end: s.end as string,
      };
      break;
    case 'monthly':
      schedule = {
        kind: 'monthly',
        days: (s.days ?? []) as number[],
        start: s.start as string,
        end: s.end as string,
      };
      break;
  }
  const request: MaintenanceRequest = {
    name: b.name,
    matchers: b.matchers.map(matcherFromApi),
    schedule,
    timeZone: b.timeZone,
    mode: b.mode ?? 'mute',
    comment: b.comment ?? '',
    createdBy: b.createdBy,
  };
  if (problems.length) {
    const seen = new Set(problems.map((p) => p.path));
    problems.push(...validateWindow(request).filter((p) => !seen.has(p.path)));
    throw new DomainError(
      'invalid',
      `invalid maintenance window: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { details: problems },
    );
  }
  return request;
}

const queryProblem = (param: string, message: string): DomainError =>
  new DomainError('invalid', `${param}: ${message}`, {
    details: [{ path: `querystring:/${param}`, message }],
  });

export function registerMaintenanceRoutes(app: App, d: MaintenanceRouteDeps): void {
  const now = () => d.clock.now();
  const tags = ['maintenance'];

  app.get(
    '/api/v1/maintenance',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Maintenance windows, by name',
        description:
          'A maintenance window mutes notifications about the alerts its matchers pick while it is in effect (mode mute), or also marks them as expected (mode expected). Alerts show which windows covered them.',
        response: { 200: Type.Object({ items: Type.Array(WindowOut) }), ...errors() },
      },
    },
    async (req) => {
      const t = now();
      return { items: (await d.maintenance.list(actorOf(req))).map((w) => windowJson(w, t)) };
    },
  );

  app.get(
    '/api/v1/maintenance/calendar',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'When each window is in effect between from and to (at most 92 days)',
        description: `Occurrences overlapping [from, to), ordered by start; overlapping occurrences of one window are merged. At most ${CALENDAR_MAX_RANGE_MS / 86_400_000} days per request.`,
        querystring: Type.Object({ from: DateTime('Range start'), to: DateTime('Range end (excluded)') }),
        response: { 200: Type.Object({ items: Type.Array(CalendarEntry) }), ...errors() },
      },
    },
    async (req) => {
      const from = Date.parse(req.query.from);
      const to = Date.parse(req.query.to);
      if (!(to > from)) throw queryProblem('to', 'must be after from');
      if (to - from > CALENDAR_MAX_RANGE_MS)
        throw queryProblem('to', 'at most 92 days after from: ask for one quarter at a time');
      const items = await d.maintenance.calendar(actorOf(req), from, to);
      return {
        items: items.map((e) => ({ ...e, startsAt: iso(e.startsAt), endsAt: iso(e.endsAt) })),
      };
    },
  );

  app.get(
    '/api/v1/maintenance/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'One maintenance window',
        params: IdParams,
        response: { 200: WindowOut, ...errors(404) },
      },
    },
    async (req) => windowJson(await d.maintenance.get(actorOf(req), req.params.id), now()),
  );

  app.post(
    '/api/v1/maintenance',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Create a maintenance window',
        body: WindowIn,
        response: { 201: WindowOut, ...errors(409) },
      },
    },
    async (req, reply) => {
      const w = await d.maintenance.create(actorOf(req), toRequest(req.body));
      return reply.status(201).send(windowJson(w, now()));
    },
  );

  app.put(
    '/api/v1/maintenance/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Replace a maintenance window',
        description:
          'Windows declared by the configuration file answer 409 naming the file: change them there.',
        params: IdParams,
        body: WindowIn,
        response: { 200: WindowOut, ...errors(404, 409) },
      },
    },
    async (req) =>
      windowJson(await d.maintenance.update(actorOf(req), req.params.id, toRequest(req.body)), now()),
  );

  app.delete(
    '/api/v1/maintenance/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Delete a maintenance window',
        description:
          'Windows declared by the configuration file answer 409 naming the file: remove them there.',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      await d.maintenance.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
