/** Contexts in the app: the list of config.yaml, and a switch to another context's server without a restart. */
import { resolveConnection } from '../session/connection.js';
import { listContexts, type ListedContext } from '../session/context-admin.js';
import { errorText } from '../session/error-text.js';
import { CONTEXTS_KEY } from '../store/resources.js';
import type { ContextInfo, ContextRow } from '../store/types.js';
import type { FlowHost } from './flow-host.js';

/** A context as the store keeps the one the app is in. */
export function contextInfo(context: { name: string; color?: string | null; readonly?: boolean }): ContextInfo {
  return { name: context.name, color: context.color ?? null, readonly: Boolean(context.readonly) };
}

/** What the controller does when the server changes under it (the watch and the loads stop). */
export interface ContextHost extends FlowHost {
  stop(): void;
}

/**
 * The credentials of the environment are the server's the app was started for (MLBATCH_PASSWORD,
 * MLBATCH_TOKEN, MLBATCH_USER): another context logs in with its own saved login only.
 */
function switchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { MLBATCH_PASSWORD: _p, MLBATCH_TOKEN: _t, MLBATCH_USER: _u, MLBATCH_HOST: _h, MLBATCH_CONTEXT: _c, ...rest } = env;
  return rest;
}

/** The words a status line uses for a context's list of names. */
function knownText(names: string[]): string {
  return names.length ? `the contexts are ${names.join(', ')}` : 'there are no contexts yet (mlbatch login --context NAME --host URL adds one)';
}

/** The controller's context actions, kept apart to keep each file small. */
export class ContextFlows {
  constructor(
    private readonly c: ContextHost,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The contexts of config.yaml into the store (a bad file is the load's error, said in the status line). */
  load(): void {
    void this.c.loads.run('contexts', CONTEXTS_KEY, async () => {
      try {
        return (await listContexts(this.env, () => undefined)).contexts.map(rowOf);
      } catch (err) {
        this.c.store.getState().setStatus(`The contexts could not be read: ${errorText(err)}`, 'error');
        throw err;
      }
    });
  }

  /** Connects with the context's saved login; on success the store enters that server (see AppActions.switchContext). */
  async switchTo(name: string): Promise<boolean> {
    const s = this.c.store.getState();
    let context: ListedContext | undefined;
    try {
      const list = await listContexts(this.env, () => undefined);
      context = list.contexts.find((c) => c.name === name);
      if (!context) {
        s.setStatus(`No context ${name}: ${knownText(list.contexts.map((c) => c.name))}`, 'error');
        return false;
      }
    } catch (err) {
      s.setStatus(`The contexts could not be read: ${errorText(err)}`, 'error');
      return false;
    }
    if (name === this.c.context && this.c.client) {
      s.setStatus(`Already in context ${name}`);
      return false;
    }
    if (!context.loggedIn) {
      s.setStatus(`Context ${name} has no saved login: run mlbatch login --context ${name}`, 'error');
      return false;
    }
    s.setStatus(`Switching to context ${name}…`);
    let connection;
    try {
      connection = await resolveConnection({ context: name }, { env: switchEnv(this.env), warn: () => undefined });
    } catch (err) {
      this.c.store.getState().setStatus(`Cannot switch to context ${name}: ${errorText(err)}`, 'error');
      return false;
    }
    this.c.stop();
    this.c.client = connection.client;
    this.c.context = name;
    const info = contextInfo(connection.context ?? context);
    const user = connection.user ?? '';
    const st = this.c.store.getState();
    st.enterServer(connection.client.host, user, info);
    st.setStatus(switchedText(name, connection.client.host, user, info.readonly));
    return true;
  }
}

/** The status line after a switch (the fake port says the same: test/tui/app-fixture.tsx). */
function switchedText(name: string, host: string, user: string, readonly: boolean): string {
  return `Switched to context ${name}: ${host}${user ? ` as ${user}` : ''}${readonly ? ', read-only' : ''}`;
}

function rowOf(c: ListedContext): ContextRow {
  return { name: c.name, host: c.host, user: c.user ?? null, readonly: Boolean(c.readonly), color: c.color ?? null, loggedIn: c.loggedIn };
}
