/** Which of service, version and execution a 404 was about, said in words. */
import type { Client } from './client.js';
import { MlBatchHttpError, MlBatchNotFoundError } from './errors.js';

/** An execution as named on the command line or in the app. */
export interface ExecutionName {
  service: string;
  version: string;
  id: string;
}

/**
 * Turns a 404 met while opening `name` into an error naming what is unknown: the service, its
 * version (with the versions there are) or the execution. `stage` says whether the service
 * lookup or a poll of the execution answered 404. Any other error is returned as it is.
 */
export async function describeNotFound(client: Client, name: ExecutionName, err: unknown, stage: 'service' | 'execution'): Promise<unknown> {
  if (!(err instanceof MlBatchHttpError) || err.status !== 404) return err;
  const { service, version, id } = name;
  if (stage === 'execution') {
    return new MlBatchNotFoundError('execution', `unknown execution ${id}: ${service} ${version} has no execution with that id`);
  }
  // The service list tells an unknown service from an unknown version of a known one.
  const versions = await client.listServices().then(
    (all) => all.filter((s) => s.name === service).map((s) => s.version),
    () => null,
  );
  if (versions === null) return new MlBatchNotFoundError('service', `unknown service ${service} ${version} on this server`);
  if (versions.length === 0) return new MlBatchNotFoundError('service', `unknown service ${service}: this server has no service of that name`);
  return new MlBatchNotFoundError('version', `unknown version ${version} of ${service} (this server has ${versions.join(', ')})`);
}
