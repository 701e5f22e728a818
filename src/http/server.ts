import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import type { Actor, Permission } from '../auth/model.js';
import { allows, anonymousActor, requirePermission } from '../auth/model.js';
import type { AuthService } from '../auth/auth.service.js';
import { safeEqual } from '../auth/auth.service.js';
import { DomainError } from '../kernel/errors.js';
import type { AppMetrics } from './metrics.js';
import { errorBody, handleError } from './errors.js';

export const SESSION_COOKIE = 'wp_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** What the route needs; routes without it are public. */
    permission?: Permission;
  }
}

export interface HttpOptions {
  logger: Logger;
  metrics: AppMetrics;
  auth: AuthService;
  bodyLimit: number;
  trustProxy: boolean | string[];
  /** Permissions of requests without credentials (`auth.anonymous`). */
  anonymous: readonly ('ingest' | 'read')[];
  /** Folder of the built web UI, or null to serve none. */
  webRoot: string | null;
  version: string;
}

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider>;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who is calling: an API token in `Authorization: Bearer`, else the session cookie. */
async function resolveActor(req: FastifyRequest, auth: AuthService): Promise<void> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    req.actor = m?.[1] ? await auth.authenticateToken(m[1], req.ip) : null;
    if (!req.actor)
      throw new DomainError(
        'unauthorized',
        'the API token is unknown, revoked or expired: create a new one in Settings → API tokens',
      );
    return;
  }
  const cookieValue = req.cookies[SESSION_COOKIE];
  if (!cookieValue) return;
  const session = await auth.authenticateSession(cookieValue, req.ip);
  if (!session) return;
  // Cookie-authenticated writes must prove they come from our UI (synchronizer token).
  if (UNSAFE.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
      throw new DomainError(
        'forbidden',
        `missing or wrong ${CSRF_HEADER} header: reload the page and try again`,
      );
  }
  req.actor = session.actor;
  req.sessionToken = cookieValue;
}

/**
 * Bodies are validated strictly (a number is not a string: Prometheus and amtool never send one, and
 * silently coercing would store what the sender did not mean); query strings, params and headers
 * are text by nature and are coerced to the declared types.
 */
// ajv-formats is CommonJS: its plugin is the default export's `default` under NodeNext.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const make = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({
      allErrors: true,
      removeAdditional: false,
      useDefaults: true,
      coerceTypes,
      strict: false,
    });
    addFormats(ajv);
    return ajv;
  };
  const strict = make(false);
  const coercing = make('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}

/** Builds the Fastify server with everything shared by all routes; features add their routes after. */
export async function createHttpServer(o: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: o.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: o.bodyLimit,
    trustProxy: o.trustProxy,
    return503OnClosing: true,
    // A notification's signed link carries what it acts on (notify/links.ts): a few hundred characters.
    routerOptions: { maxParamLength: 4096 },
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler());
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.setErrorHandler(handleError);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Watchpost API',
        version: o.version,
        description:
          'Monitoring and alerting for e-commerce operations. Authenticate with a session cookie (UI) or `Authorization: Bearer <API token>`.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'API token (wp_…) with scopes ingest, read, respond, write, admin',
          },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (req) => {
    const permission = req.routeOptions.config.permission;
    await resolveActor(req, o.auth);
    if (!permission) return;
    if (!req.actor && o.anonymous.length) req.actor = anonymousActor(o.anonymous, req.ip);
    if (!req.actor)
      throw new DomainError('unauthorized', 'log in, or send an API token as Authorization: Bearer wp_…');
    if (req.actor.type === 'anonymous' && !allows(req.actor, permission))
      throw new DomainError('unauthorized', 'log in, or send an API token as Authorization: Bearer wp_…');
    requirePermission(req.actor, permission);
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    o.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    o.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webRoot = o.webRoot && existsSync(join(o.webRoot, 'index.html')) ? o.webRoot : null;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      setHeaders: (res, path) => {
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const apiLike = /^\/(api|v2|ping|metrics|healthz|readyz|-)(\/|$)/.test(path);
    if (!apiLike && req.method === 'GET') {
      if (webRoot) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return reply
        .status(404)
        .send(
          errorBody(
            'not_found',
            'the web UI is not built: run `npm run build:web` (npm start does it for you)',
          ),
        );
    }
    return reply
      .status(404)
      .send(errorBody('not_found', `no route ${req.method} ${path}: see /api/docs for the API`));
  });

  return app;
}
