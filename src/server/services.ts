/** Published services: kept in SQLite, read through a small in-memory cache. */
import { randomUUID } from 'node:crypto';
import { ADMIN_USER, type WebService } from '../protocol.js';
import type { Db } from './db.js';
import { conflict, notFound } from './errors.js';
import type { ServiceCode } from './runtime/types.js';
import type { CheckedPublish } from './service-validation.js';

/** A published version: its wire form plus the key workers cache its code under. */
export interface PublishedService {
  key: string;
  web: WebService;
}

/** Publishes, finds and deletes services. */
export class ServiceStore {
  private readonly cache = new Map<string, PublishedService>();
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], { key: string; body: string }>(
        'SELECT key, body FROM services ORDER BY name, version',
      ),
      insert: db.prepare('INSERT INTO services (name, version, key, body) VALUES (?, ?, ?, ?)'),
      replace: db.prepare('UPDATE services SET key = ?, body = ? WHERE name = ? AND version = ?'),
      remove: db.prepare('DELETE FROM services WHERE name = ? AND version = ?'),
    };
    for (const row of this.stmts.all.all()) {
      const web = JSON.parse(row.body) as WebService;
      this.cache.set(id(web.name, web.version), { key: row.key, web });
    }
  }

  /** Every version of every service, ordered by name then version. */
  list(): WebService[] {
    return [...this.cache.values()]
      .map((s) => s.web)
      .sort((a, b) => (a.name === b.name ? cmp(a.version, b.version) : cmp(a.name, b.name)));
  }

  /** The published version, or undefined. */
  find(name: string, version: string): PublishedService | undefined {
    return this.cache.get(id(name, version));
  }

  /** The published version, or 404 naming what is unknown. */
  get(name: string, version: string): PublishedService {
    const found = this.find(name, version);
    if (found) return found;
    const known = this.list().some((s) => s.name === name);
    throw notFound(
      known
        ? `service '${name}' has no version '${version}'`
        : `unknown service '${name}'`,
    );
  }

  /** Publishes a new name+version (409 when it exists, unless `update` allows replacing it). */
  publish(name: string, version: string, req: CheckedPublish, update = false): PublishedService {
    const existing = this.find(name, version);
    if (existing && !update) {
      throw conflict(`service '${name}' version '${version}' is already published`);
    }
    const web: WebService = {
      name,
      version,
      versionPublishedBy: ADMIN_USER,
      creationTime: existing?.web.creationTime ?? new Date().toISOString(),
      snapshotId: req.snapshotId,
      runtimeType: req.runtimeType,
      initCode: req.initCode,
      code: req.code,
      description: req.description,
      operationId: req.operationId || `${name}_${version}`.replace(/[^A-Za-z0-9_]/g, '_'),
      inputParameterDefinitions: req.inputParameterDefinitions,
      outputParameterDefinitions: req.outputParameterDefinitions,
      outputFileNames: req.outputFileNames,
      myPermissionOnService: 'Write',
    };
    const body = JSON.stringify(web);
    if (existing && JSON.stringify(existing.web) === body) return existing;
    // A new key whenever the code may differ, so workers never run a stale init.
    const published = { key: `${name}@${version}#${randomUUID()}`, web };
    if (existing) this.stmts.replace.run(published.key, body, name, version);
    else this.stmts.insert.run(name, version, published.key, body);
    this.cache.set(id(name, version), published);
    return published;
  }

  /** Deletes a version (404 when unknown). */
  remove(name: string, version: string): void {
    this.get(name, version);
    this.stmts.remove.run(name, version);
    this.cache.delete(id(name, version));
  }
}

/** What the worker pool needs to run a published version. */
export function toServiceCode(s: PublishedService): ServiceCode {
  const w = s.web;
  return {
    key: s.key,
    name: w.name,
    version: w.version,
    runtimeType: w.runtimeType ?? 'R',
    initCode: w.initCode ?? '',
    code: w.code ?? '',
    inputs: w.inputParameterDefinitions ?? [],
    outputs: w.outputParameterDefinitions ?? [],
    outputFileNames: w.outputFileNames ?? [],
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function id(name: string, version: string): string {
  return `${name}\u0000${version}`;
}
