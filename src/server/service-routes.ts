/** Services: list, get, publish, update, delete; consume once; each service's swagger. */
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isJsonObject, paths, routes, type WebServiceResult } from '../protocol.js';
import { checkFileName } from './artifacts.js';
import { badRequest, notFound } from './errors.js';
import { checkConsumeInputs } from './inputs.js';
import type { Executions } from './executions.js';
import type { ServerLimits } from './options.js';
import type { Scheduler } from './scheduler.js';
import { checkNameOrVersion, checkPublish } from './service-validation.js';
import { toServiceCode, type ServiceStore } from './services.js';
import { serviceSwagger } from './swagger.js';

type NV = { name: string; version: string };
const ROUTE = routes.serviceVersion('name', 'version');

/** What the service routes work with. */
export interface ServiceRouteDeps {
  services: ServiceStore;
  executions: Executions;
  scheduler: Scheduler;
  dataDir: string;
  limits: ServerLimits;
}

/** Registers the service routes. */
export function serviceRoutes(app: FastifyInstance, d: ServiceRouteDeps): void {
  const { services } = d;

  app.get(routes.services, async () => services.list());

  app.get<{ Params: { name: string } }>(routes.service('name'), async (req) => {
    const all = services.list().filter((s) => s.name === req.params.name);
    if (all.length === 0) throw notFound(`unknown service '${req.params.name}'`);
    return all;
  });

  app.get<{ Params: NV }>(ROUTE, async (req) => {
    return services.get(req.params.name, req.params.version).web;
  });

  app.post<{ Params: NV }>(ROUTE, async (req, reply) => {
    const { name, version } = req.params;
    checkNameOrVersion('name', name);
    checkNameOrVersion('version', version);
    services.publish(name, version, checkPublish(req.body));
    reply.code(201);
    return JSON.stringify(serviceUrl(req.protocol, req.host, name, version));
  });

  app.patch<{ Params: NV }>(ROUTE, async (req) => {
    const { name, version } = req.params;
    services.get(name, version);
    services.publish(name, version, checkPublish(req.body), true);
    return JSON.stringify(serviceUrl(req.protocol, req.host, name, version));
  });

  app.delete<{ Params: NV }>(ROUTE, async (req) => {
    const { name, version } = req.params;
    services.remove(name, version);
    d.executions.cancelAllOf(name, version);
    return {};
  });

  app.get<{ Params: NV }>(routes.swagger('name', 'version'), async (req) => {
    return serviceSwagger(services.get(req.params.name, req.params.version).web, req.host);
  });

  app.post<{ Params: NV }>(routes.api('name', 'version'), async (req): Promise<WebServiceResult> => {
    const pub = services.get(req.params.name, req.params.version);
    const body = req.body ?? {};
    if (!isJsonObject(body)) throw badRequest('body must be a JSON object of the service inputs');
    const inputs = checkConsumeInputs(
      pub.web.inputParameterDefinitions ?? [],
      body,
      d.limits.maxInputDepth,
    );
    const dir = join(d.dataDir, 'consume', randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      const code = toServiceCode(pub);
      const outcome = await d.scheduler.runSoon(() =>
        d.executions.execute(code, inputs, dir),
      );
      const outputFiles: Record<string, string> = {};
      const files: string[] = [];
      for (const f of outcome.artifacts ?? []) {
        if (!code.outputFileNames.includes(f) || checkFileName(f)) continue;
        // Plain files only: a symbolic link left by service code could point anywhere.
        if (!(await lstat(join(dir, f)).catch(() => undefined))?.isFile()) continue;
        files.push(f);
        outputFiles[f] = (await readFile(join(dir, f))).toString('base64');
      }
      return {
        success: outcome.success,
        errorMessage: outcome.errorMessage,
        consoleOutput: outcome.consoleOutput,
        changedFiles: files,
        outputParameters: outcome.outputParameters ?? {},
        outputFiles,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

function serviceUrl(protocol: string, host: string, name: string, version: string): string {
  return `${protocol}://${host}${paths.api(name, version)}`;
}
