/** Batch executions of a service: start, list, poll, cancel, list files, get a file. */
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { CHANGED_SINCE, DEFAULT_PARALLEL_COUNT, isJsonObject, routes, type BatchRecord, type StartBatchResponse } from '../protocol.js';
import { contentTypeOf } from './artifacts.js';
import { badRequest, notFound } from './errors.js';
import { checkBatchInputs } from './inputs.js';
import type { Executions } from './executions.js';
import type { ServerLimits } from './options.js';
import type { ServiceStore } from './services.js';

type NV = { name: string; version: string };
type Exec = NV & { id: string };
type Item = Exec & { index: string };

/** Registers the batch routes. */
export function batchRoutes(
  app: FastifyInstance,
  services: ServiceStore,
  executions: Executions,
  limits: ServerLimits,
): void {
  app.post<{ Params: NV; Querystring: Record<string, string | undefined> }>(routes.batch('name', 'version'), async (req) => {
    const pub = services.get(req.params.name, req.params.version);
    const parallelCount = parseParallelCount(req.query.parallelCount, limits.maxParallelCount);
    const records = checkBatchInputs(
      pub.web.inputParameterDefinitions ?? [],
      checkRecords(req.body, limits.maxRecords),
      limits.maxInputDepth,
    );
    const id = executions.start(pub, records, parallelCount);
    const answer: StartBatchResponse = {
      name: pub.web.name,
      version: pub.web.version,
      batchExecutionId: id,
      BatchExecutionId: id,
    };
    return answer;
  });

  app.get<{ Params: NV }>(routes.batch('name', 'version'), async (req) => {
    services.get(req.params.name, req.params.version);
    return executions.list(req.params.name, req.params.version);
  });

  app.get<{ Params: Exec; Querystring: Record<string, string | undefined> }>(
    routes.execution('name', 'version', 'id'),
    async (req, reply) => {
      const { name, version, id } = req.params;
      services.get(name, version);
      const partial = parseBool(
        req.query.showPartialResults ?? req.query.showPartialResult,
        'showPartialResults',
      );
      // The extension is opt-in: without this parameter the answer is what ML Server's is, plus members.
      const since = req.query[CHANGED_SINCE];
      reply.type('application/json');
      return executions.poll(name, version, id, partial, typeof since === 'string' ? since : undefined);
    },
  );

  app.delete<{ Params: Exec }>(routes.execution('name', 'version', 'id'), async (req) => {
    const { name, version, id } = req.params;
    services.get(name, version);
    await executions.cancel(name, version, id);
    return {};
  });

  app.get<{ Params: Item }>(routes.files('name', 'version', 'id', 'index'), async (req) => {
    const { name, version, id } = req.params;
    services.get(name, version);
    return executions.files(name, version, id, parseIndex(req.params.index));
  });

  app.get<{ Params: Item & { fileName: string } }>(
    routes.file('name', 'version', 'id', 'index', 'fileName'),
    async (req, reply) => {
      const { name, version, id, fileName } = req.params;
      services.get(name, version);
      const path = executions.filePath(name, version, id, parseIndex(req.params.index), fileName);
      // lstat: a symbolic link left by service code could point anywhere; only plain files go out.
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile()) throw notFound(`file '${fileName}' is missing or not a plain file`);
      reply
        .type(contentTypeOf(fileName))
        .header('content-length', info.size)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`);
      return reply.send(createReadStream(path));
    },
  );
}

function parseParallelCount(raw: string | undefined, max: number): number {
  if (raw === undefined || raw === '') return Math.min(DEFAULT_PARALLEL_COUNT, max);
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw badRequest(`parallelCount must be a positive integer, got '${raw}'`);
  }
  const n = Number(raw);
  if (n > max) throw badRequest(`parallelCount ${n} is above the limit maxParallelCount (${max})`);
  return n;
}

function checkRecords(body: unknown, max: number): BatchRecord[] {
  if (!Array.isArray(body)) throw badRequest('body must be a JSON array of records');
  if (body.length === 0) throw badRequest('a batch needs at least one record');
  if (body.length > max) {
    throw badRequest(`${body.length} records is above the limit maxRecords (${max})`);
  }
  for (let i = 0; i < body.length; i++) {
    if (!isJsonObject(body[i])) {
      throw badRequest(`record ${i} must be a JSON object of the service inputs`);
    }
  }
  return body as BatchRecord[];
}

function parseBool(raw: string | undefined, field: string): boolean {
  if (raw === undefined || raw === '') return true;
  // A repeated parameter arrives as an array: its text then matches neither spelling.
  const v = String(raw).toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw badRequest(`${field} must be true or false, got '${raw}'`);
}

function parseIndex(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw badRequest(`index must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}
