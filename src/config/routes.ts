import { Type } from 'typebox';
import type { App } from '../http/server.js';
import { Nullable, errors } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import type { Actor } from '../auth/model.js';
import type { ApplyResult } from './apply.js';

export interface ConfigStatus {
  path: string | null;
  appliedAt: string | null;
  lastResult: ApplyResult | null;
}

export interface ConfigControl {
  status(actor: Actor): ConfigStatus;
  reload(actor: Actor): Promise<ApplyResult>;
}

const Result = Type.Object({
  created: Type.Array(Type.String()),
  updated: Type.Array(Type.String()),
  removed: Type.Array(Type.String()),
  unchanged: Type.Integer(),
  warnings: Type.Array(Type.String()),
});

export function registerConfigRoutes(app: App, control: ConfigControl): void {
  app.get(
    '/api/v1/config',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['config'],
        summary: 'Which configuration file is in force and what its last apply did',
        response: {
          200: Type.Object({
            path: Nullable(Type.String()),
            appliedAt: Nullable(Type.String()),
            lastResult: Nullable(Result),
          }),
        },
      },
    },
    async (req) => control.status(actorOf(req)),
  );
  app.post(
    '/api/v1/config/reload',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['config'],
        summary:
          'Re-read the configuration file and apply its declared objects (teams, services); 400 lists every problem',
        response: { 200: Result, ...errors(409) },
      },
    },
    async (req) => control.reload(actorOf(req)),
  );
}
