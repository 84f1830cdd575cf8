/** Checks a publish request field by field; every error names the field at fault. */
import {
  PARAMETER_TYPES,
  RUNTIME_TYPES,
  type ParameterDefinition,
  type PublishWebServiceRequest,
  type RuntimeType,
} from '../protocol.js';
import { badRequest } from './errors.js';
import { checkFileName } from './artifacts.js';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$/;

/** Throws 400 unless `value` can be a service name or version (it becomes a URL segment). */
export function checkNameOrVersion(field: 'name' | 'version', value: string): void {
  if (!NAME_RE.test(value) || value.includes('..')) {
    throw badRequest(
      `${field} '${value}' is not valid: use letters, digits, '.', '_' and '-' (at most 100, no '..')`,
    );
  }
}

/** A publish request with every optional field filled in. */
export interface CheckedPublish {
  code: string;
  initCode: string;
  description: string;
  operationId: string;
  snapshotId: string;
  runtimeType: RuntimeType;
  inputParameterDefinitions: ParameterDefinition[];
  outputParameterDefinitions: ParameterDefinition[];
  outputFileNames: string[];
}

/** Validates a `PublishWebServiceRequest` body (untrusted JSON). */
export function checkPublish(body: unknown): CheckedPublish {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('body must be a JSON object (a PublishWebServiceRequest)');
  }
  const b = body as Partial<Record<keyof PublishWebServiceRequest, unknown>>;
  if (typeof b.code !== 'string') throw badRequest('code is required and must be a string');
  const runtimeType = b.runtimeType ?? 'R';
  if (!RUNTIME_TYPES.includes(runtimeType as RuntimeType)) {
    throw badRequest(`runtimeType must be one of ${RUNTIME_TYPES.join(', ')}`);
  }
  const outputFileNames = optionalArray(b.outputFileNames, 'outputFileNames').map((n, i) => {
    const field = `outputFileNames[${i}]`;
    if (typeof n !== 'string') throw badRequest(`${field} must be a string`);
    const problem = checkFileName(n);
    if (problem) throw badRequest(`${field} '${n}' ${problem}`);
    return n;
  });
  const inputParameterDefinitions = params(b.inputParameterDefinitions, 'inputParameterDefinitions');
  const outputParameterDefinitions = params(b.outputParameterDefinitions, 'outputParameterDefinitions');
  checkVariableNames(runtimeType as RuntimeType, inputParameterDefinitions, 'inputParameterDefinitions');
  checkVariableNames(runtimeType as RuntimeType, outputParameterDefinitions, 'outputParameterDefinitions');
  return {
    code: b.code,
    initCode: optionalString(b.initCode, 'initCode'),
    description: optionalString(b.description, 'description'),
    operationId: optionalString(b.operationId, 'operationId'),
    snapshotId: optionalString(b.snapshotId, 'snapshotId'),
    runtimeType: runtimeType as RuntimeType,
    inputParameterDefinitions,
    outputParameterDefinitions,
    outputFileNames,
  };
}

function optionalString(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
}

function optionalArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`${field} must be an array`);
  return value;
}

function params(value: unknown, field: string): ParameterDefinition[] {
  const seen = new Set<string>();
  return optionalArray(value, field).map((p, i) => {
    const at = `${field}[${i}]`;
    if (!p || typeof p !== 'object') throw badRequest(`${at} must be an object {name, type}`);
    const { name, type } = p as Record<string, unknown>;
    // Names become variables in the service's code, so they must be identifiers.
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) {
      throw badRequest(`${at}.name must be an identifier`);
    }
    if (seen.has(name)) throw badRequest(`${at}.name '${name}' is declared twice`);
    seen.add(name);
    if (!PARAMETER_TYPES.includes(type as ParameterDefinition['type'])) {
      throw badRequest(`${at}.type must be one of ${PARAMETER_TYPES.join(', ')}`);
    }
    return { name, type: type as ParameterDefinition['type'] };
  });
}

// Names that cannot be variables in the service's language (R's dotted names are fine in R only).
const RESERVED: Partial<Record<RuntimeType, Set<string>>> = {
  JavaScript: new Set(
    ('arguments await break case catch class const continue debugger default delete do else enum eval ' +
      'export extends false finally for function if implements import in instanceof interface let new ' +
      'null package private protected public return static super switch this throw true try typeof var ' +
      'void while with yield __proto__').split(' '),
  ),
  Python: new Set(
    ('False None True and as assert async await break class continue def del elif else except finally ' +
      'for from global if import in is lambda nonlocal not or pass raise return try while with yield').split(' '),
  ),
};

/**
 * 400 unless every parameter name can be a variable of the service's runtime. Names of globals
 * the runtime itself needs (process, console, require, print, len, ...) do work: the JavaScript
 * worker keeps its own handles on them and the Python worker runs the code in a namespace of its
 * own. What is refused: words the language reserves, JavaScript's `__proto__` (it would change the
 * prototype of the object holding the inputs) and Python's `__dunder__` names (`__builtins__`
 * would take the builtins away from the code).
 */
function checkVariableNames(runtime: RuntimeType, defs: ParameterDefinition[], field: string): void {
  const reserved = RESERVED[runtime];
  if (!reserved) return;
  defs.forEach((p, i) => {
    const why = p.name.includes('.')
      ? 'it contains a dot'
      : reserved.has(p.name)
        ? `it is reserved in ${runtime}`
        : runtime === 'Python' && /^__.*__$/.test(p.name)
          ? 'Python keeps __dunder__ names for itself'
          : undefined;
    if (why) throw badRequest(`${field}[${i}].name '${p.name}' cannot be a ${runtime} variable name: ${why}`);
  });
}
