/** The swagger 2.0 document of one published service: its consume and batch operations. */
import type { ParameterDefinition, ParameterType, WebService } from '../protocol.js';

type Schema = Record<string, unknown>;

const SCHEMA_OF: Record<ParameterType, Schema> = {
  logical: { type: 'boolean' },
  numeric: { type: 'number', format: 'double' },
  integer: { type: 'integer', format: 'int32' },
  character: { type: 'string' },
  vector: { type: 'array', items: {} },
  matrix: { type: 'array', items: { type: 'array', items: {} } },
  'data.frame': { type: 'object', additionalProperties: { type: 'array', items: {} } },
};

function objectOf(params: ParameterDefinition[] | undefined): Schema {
  const properties: Record<string, Schema> = {};
  for (const p of params ?? []) properties[p.name] = SCHEMA_OF[p.type] ?? {};
  return { type: 'object', properties };
}

const ERROR = { description: 'Error', schema: { $ref: '#/definitions/Error' } };
const path = (name: string, type = 'string') => ({ name, in: 'path', required: true, type });

/** Builds the document; `host` is what the client used to reach us. */
export function serviceSwagger(s: WebService, host: string): Schema {
  const op = s.operationId || 'consume';
  const base = `/api/${encodeURIComponent(s.name)}/${encodeURIComponent(s.version)}`;
  const result = (schema: string) => ({ description: 'OK', schema: { $ref: `#/definitions/${schema}` } });
  return {
    swagger: '2.0',
    info: { title: s.name, description: s.description ?? '', version: s.version },
    host,
    schemes: ['http'],
    consumes: ['application/json'],
    produces: ['application/json'],
    securityDefinitions: {
      Bearer: { type: 'apiKey', name: 'Authorization', in: 'header' },
    },
    security: [{ Bearer: [] }],
    paths: {
      [base]: {
        post: {
          operationId: op,
          description: `Runs ${s.name} ${s.version} once.`,
          parameters: [{ name: 'WebServiceParameters', in: 'body', required: true, schema: { $ref: '#/definitions/InputParameters' } }],
          responses: { 200: result('WebServiceResult'), default: ERROR },
        },
      },
      [`${base}/batch`]: {
        post: {
          operationId: `${op}_StartBatchExecution`,
          parameters: [
            { name: 'BatchWebServiceParameters', in: 'body', required: true, schema: { type: 'array', items: { $ref: '#/definitions/InputParameters' } } },
            { name: 'parallelCount', in: 'query', required: false, type: 'integer', default: 10 },
          ],
          responses: { 200: result('StartBatchExecutionResponse'), default: ERROR },
        },
        get: {
          operationId: `${op}_GetBatchExecutions`,
          responses: { 200: { description: 'OK', schema: { type: 'array', items: { type: 'string' } } }, default: ERROR },
        },
      },
      [`${base}/batch/{executionId}`]: {
        get: {
          operationId: `${op}_GetBatchExecutionStatus`,
          parameters: [
            path('executionId'),
            { name: 'showPartialResults', in: 'query', required: false, type: 'boolean', default: true },
          ],
          responses: { 200: result('BatchWebServiceResult'), default: ERROR },
        },
        delete: {
          operationId: `${op}_CancelBatchExecution`,
          parameters: [path('executionId')],
          responses: { 200: { description: 'OK' }, default: ERROR },
        },
      },
      [`${base}/batch/{executionId}/{index}/files`]: {
        get: {
          operationId: `${op}_GetBatchExecutionFiles`,
          parameters: [path('executionId'), path('index', 'integer')],
          responses: { 200: { description: 'OK', schema: { type: 'array', items: { type: 'string' } } }, default: ERROR },
        },
      },
      [`${base}/batch/{executionId}/{index}/files/{fileName}`]: {
        get: {
          operationId: `${op}_GetBatchExecutionFile`,
          produces: ['application/octet-stream'],
          parameters: [path('executionId'), path('index', 'integer'), path('fileName')],
          responses: { 200: { description: 'The file', schema: { type: 'file' } }, default: ERROR },
        },
      },
    },
    definitions: {
      InputParameters: objectOf(s.inputParameterDefinitions),
      OutputParameters: objectOf(s.outputParameterDefinitions),
      WebServiceResult: {
        type: 'object',
        properties: {
          success: { type: 'boolean' },
          errorMessage: { type: 'string' },
          consoleOutput: { type: 'string' },
          changedFiles: { type: 'array', items: { type: 'string' } },
          outputParameters: { $ref: '#/definitions/OutputParameters' },
          outputFiles: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
        },
      },
      StartBatchExecutionResponse: {
        type: 'object',
        properties: { name: { type: 'string' }, version: { type: 'string' }, batchExecutionId: { type: 'string' } },
      },
      BatchWebServiceResult: {
        type: 'object',
        properties: {
          state: { type: 'string', enum: ['Pending', 'InProgress', 'Complete', 'Failed', 'Canceled'] },
          totalItemCount: { type: 'integer' },
          completedItemCount: { type: 'integer' },
          batchExecutionResults: { type: 'array', items: { $ref: '#/definitions/WebServiceResult' } },
        },
      },
      Error: {
        type: 'object',
        properties: { message: { type: 'string' } },
      },
    },
  };
}
