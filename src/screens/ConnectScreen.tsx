/**
 * Connect to a server:
 * ```
 * Connect to Machine Learning Server
 * > host      http://127.0.0.1:12800█
 *   user      admin
 *   password  ********
 * Tab next field · Enter connect · Ctrl-C quit
 * ```
 */
import { useCallback, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { useActions } from '../actions.js';
import { FormField } from '../components/FormField.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useForm } from '../hooks/use-form.js';
import { useKeys } from '../hooks/use-keys.js';
import { Waiting } from '../components/Waiting.js';

/** Props of ConnectScreen. */
export interface ConnectScreenProps {
  width: number;
  height: number;
  focused: boolean;
}

const FIELDS = ['host', 'user', 'password'] as const;

/** Host (remembered), user and a masked password; Enter logs in and opens the services. */
export function ConnectScreen({ width, height, focused }: ConnectScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const rememberedHost = useApp((s) => s.connection.host);
  const rememberedUser = useApp((s) => s.connection.user);
  const form = useForm({ host: rememberedHost, user: rememberedUser || 'admin', password: '' }, FIELDS, rememberedHost ? 2 : 0);
  const { values, field } = form;
  const [busy, setBusy] = useState(false);
  const short = height < 16;

  const onCommand = useCallback(
    (id: CommandId) => {
      const { values: v, field: at } = form.get();
      if (id === 'nextField') form.focus(at + 1);
      else if (id === 'prevField') form.focus(at - 1);
      else if (id === 'submit' && !busy) {
        // As in the compose form, Enter moves on; only on the password does it log in.
        if (at < FIELDS.length - 1) {
          form.focus(at + 1);
          return;
        }
        if (!v.host.trim()) {
          store.getState().setStatus('A host is needed, e.g. http://127.0.0.1:12800', 'error');
          form.focus(0);
          return;
        }
        setBusy(true);
        void actions.connect(v.host.trim(), v.user.trim(), v.password).finally(() => setBusy(false));
      }
    },
    [store, actions, form, busy],
  );
  const onText = useCallback((input: string, key: Key) => form.type(input, key), [form]);
  useKeys('connect', focused, { onCommand, onText });
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>Connect to Machine Learning Server</TitleLine>
      {short ? null : <Text> </Text>}
      {FIELDS.map((name, i) => (
        <FormField key={name} label={name} value={values[name]} focused={field === i} cursor={form.cursor} mask={name === 'password'} width={width} />
      ))}
      {short ? null : <Text> </Text>}
      {busy ? <Waiting label="Connecting…" dimColor /> : <Text dimColor wrap="truncate">The host is remembered for next time; the password never is.</Text>}
      <Box flexGrow={1} />
      {/* Why a login failed (host, port, what to check) is read whole, not cut at the width. */}
      <StatusLine width={width} rows={short ? 2 : 3} />
      <HintBar context="connect" width={width} />
    </Box>
  );
}
