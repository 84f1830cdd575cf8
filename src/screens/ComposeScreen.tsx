/**
 * A new batch of a service:
 * ```
 * New batch of slow-scorer 1.0 (inputs: id integer, value numeric)
 * > records   examples/records/scores-sample.csv█
 *   parallel  10
 * csv, columns id, value, group (group is ignored)
 *    0  id=1  value=0.883
 *    1  X value: "abc" is not a number (numeric)
 * Tab next field · Enter start · Esc back
 * ```
 */
import { useCallback, useEffect, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import type { RecordsPreview } from '../batch/records.js';
import type { WebService } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useAppStore } from '../store/hooks.js';
import { useActions } from '../tui/actions.js';
import { FormField, editText } from '../components/FormField.js';
import { brief, cut, sanitize } from '../components/format.js';
import { HintBar } from '../components/HintBar.js';
import { StatusLine } from '../components/StatusLine.js';
import { useForm } from '../components/use-form.js';
import { useKeys } from '../components/use-keys.js';

/** Props of ComposeScreen. */
export interface ComposeScreenProps {
  service: WebService;
  width: number;
  height: number;
  focused: boolean;
}

const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const FIELDS = ['file', 'parallel'] as const;

/** The preview's lines: the file's shape, then each first row as values or its problems. */
export function previewLines(p: RecordsPreview | null, width: number): { text: string; error: boolean }[] {
  if (!p) return [{ text: 'Type the path of a .csv, .tsv, .json or .jsonl file.', error: false }];
  if (p.error) return p.error.split('\n').map((l) => ({ text: cut(sanitize(l), width), error: true }));
  const out = [{ text: cut(`${p.format ?? '?'}, columns ${p.columns.map(sanitize).join(', ')}`, width), error: false }];
  for (const w of p.warnings) out.push({ text: cut(`note: ${sanitize(w)}`, width), error: false });
  for (const r of p.rows) {
    const head = `${String(r.record).padStart(4)}  `;
    if (r.problems.length) out.push({ text: cut(`${head}X ${r.problems.map(sanitize).join('; ')}`, width), error: true });
    else out.push({ text: cut(head + Object.entries(r.values ?? {}).map(([k, v]) => `${sanitize(k)}=${brief(v)}`).join('  '), width), error: false });
  }
  return out;
}

/** Records file and parallelCount with a live, validated preview; Enter starts the batch. */
export function ComposeScreen({ service, width, height, focused }: ComposeScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const form = useForm({ file: '', parallel: '10' }, FIELDS);
  const { file, parallel } = form.values;
  const field = form.field;
  const [preview, setPreview] = useState<RecordsPreview | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!file.trim()) {
      setPreview(null);
      return;
    }
    let live = true;
    // Wait for a pause in typing before reading the file.
    const t = setTimeout(() => {
      actions.previewRecords(service, file.trim()).then(
        (p) => live && setPreview(p),
        (err: unknown) => live && setPreview({ columns: [], rows: [], warnings: [], error: String(err) }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [actions, service, file]);

  const onCommand = useCallback(
    (id: CommandId) => {
      const s = store.getState();
      const { values, field: at } = form.get();
      if (id === 'back') s.pop();
      else if (id === 'nextField') form.focus(at + 1);
      else if (id === 'submit' && !busy) {
        const n = Number(values.parallel);
        const path = values.file.trim();
        if (!path) s.setStatus('records: type the path of a records file first', 'error');
        else if (!Number.isInteger(n) || n < 1) s.setStatus(`parallel: a whole number of at least 1, not "${values.parallel}"`, 'error');
        else if (path === file.trim() && (preview?.error || preview?.rows.some((r) => r.problems.length))) {
          s.setStatus('The records have errors (shown above): fix the file first', 'error');
        } else {
          setBusy(true);
          // startBatch reads and validates every record again before anything is sent.
          void actions.startBatch(service, path, n).finally(() => setBusy(false));
        }
      }
    },
    [store, actions, service, form, file, preview, busy],
  );
  const onText = useCallback(
    (input: string, key: Key) => {
      const bs = key.backspace || key.delete;
      form.edit((v, name) => (name === 'file' ? editText(v, input, bs) : editText(v, input, bs, isDigit).slice(0, 4)));
    },
    [form],
  );
  useKeys('compose', focused, { onCommand, onText });
  const inputs = (service.inputParameterDefinitions ?? []).map((d) => `${sanitize(d.name)} ${d.type}`).join(', ');
  const lines = previewLines(preview, width).slice(0, Math.max(1, height - 7));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold wrap="truncate">{`New batch of ${sanitize(service.name)} ${sanitize(service.version)} (inputs: ${inputs || 'none'})`}</Text>
      <FormField label="records" value={file} focused={field === 0} width={width} />
      <FormField label="parallel" value={parallel} focused={field === 1} width={width} />
      <Text dimColor>{busy ? 'Reading and sending the records…' : 'Preview of the first rows, checked against the inputs:'}</Text>
      <Box flexDirection="column" height={Math.max(1, height - 6)}>
        {lines.map((l, i) => (
          <Text key={i} color={l.error ? 'red' : undefined} wrap="truncate">
            {l.text || ' '}
          </Text>
        ))}
      </Box>
      <StatusLine width={width} />
      <HintBar context="compose" width={width} />
    </Box>
  );
}
