/**
 * A new batch of a service:
 * ```
 * New batch of slow-scorer 1.0 (inputs: id integer, value numeric)
 * > records   examples/records/scores-sample.csv█
 *   parallel  10
 * Enter: on to parallel (the batch starts from there)
 * csv, columns id, value, group (group is ignored)
 *    0  id=1  value=0.883
 *    1  X value: must be numeric (a number), got "abc"
 * Esc back  Enter next / start
 * ```
 */
import { useCallback, useEffect, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import type { RecordsPreview } from '../records/records.js';
import type { WebService } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { dataOf, previewKey } from '../store/resources.js';
import { useActions } from '../actions.js';
import { FormField } from '../components/FormField.js';
import { brief, cut, wrapText } from '../views/format.js';
import { safeText } from '../text/safe-text.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useForm } from '../hooks/use-form.js';
import { useKeys } from '../hooks/use-keys.js';
import { Waiting } from '../components/Waiting.js';

/** The line under the fields: what Enter does now, so nothing starts by surprise. */
export function guide(busy: boolean, field: number, path: string, preview: RecordsPreview | null, parallel: string): string {
  if (busy) return 'Reading and sending the records…';
  if (!path) return 'Preview of the first rows, checked against the inputs:';
  if (!preview) return 'Reading the first rows…';
  if (!previewOk(preview)) return 'Fix the records file: nothing can start with these errors';
  if (field === 0) return 'Preview of the first rows; Enter: on to parallel, where Enter starts';
  return `Enter starts the batch with parallel ${parallel || '?'}; Esc goes back`;
}

/** Props of ComposeScreen. */
export interface ComposeScreenProps {
  service: WebService;
  width: number;
  height: number;
  focused: boolean;
}

const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const FIELDS = ['file', 'parallel'] as const;
const RULES = { parallel: { accept: isDigit, max: 4 } };

/** The preview's lines: the file's shape, then each first row as values or its problems. */
export function previewLines(p: RecordsPreview | null, width: number): { text: string; error: boolean }[] {
  if (!p) return [{ text: 'Type the path of a .csv, .tsv, .json or .jsonl file.', error: false }];
  // Whole-file errors and notes are wrapped, not cut: the part that says what to fix is at the end.
  if (p.error) return p.error.split('\n').flatMap((l) => wrapText(safeText(l), width).map((text) => ({ text, error: true })));
  const out = [{ text: cut(`${p.format ?? '?'}, columns ${p.columns.map((n) => safeText(n)).join(', ')}`, width), error: false }];
  for (const w of p.warnings) out.push(...wrapText(`note: ${safeText(w)}`, width).map((text) => ({ text, error: false })));
  for (const r of p.rows) {
    const head = `${String(r.record).padStart(4)}  `;
    if (r.problems.length) out.push({ text: cut(`${head}X ${r.problems.map((n) => safeText(n)).join('; ')}`, width), error: true });
    else out.push({ text: cut(head + Object.entries(r.values ?? {}).map(([k, v]) => `${safeText(k)}=${brief(v)}`).join('  '), width), error: false });
  }
  return out;
}

/** Whether a preview lets the batch start: read, no file error, no bad row among the first. */
function previewOk(p: RecordsPreview | null): boolean {
  return Boolean(p && !p.error && p.rows.length > 0 && p.rows.every((r) => r.problems.length === 0));
}

/**
 * Records file and parallelCount with a live, validated preview. Enter on the file moves on to
 * parallel (a pasted path ends in Enter, and must not start anything); Enter on parallel starts,
 * and only once the preview of that very file was shown clean.
 */
export function ComposeScreen({ service, width, height, focused }: ComposeScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const form = useForm({ file: '', parallel: '10' }, FIELDS, 0, RULES);
  const { file, parallel } = form.values;
  const field = form.field;
  // The preview is keyed by its path, so a stale one never approves a new path.
  const loaded = useApp((s) => s.resources.preview);
  const key = previewKey(service, file.trim());
  const preview: RecordsPreview | null =
    dataOf(loaded, key) ?? (loaded.key === key && loaded.status === 'error' ? { columns: [], rows: [], warnings: [], error: loaded.error } : null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const path = file.trim();
    if (!path) return;
    // Wait for a pause in typing before reading the file.
    const t = setTimeout(() => actions.loadPreview(service, path), 250);
    return () => clearTimeout(t);
  }, [actions, service, file]);
  useEffect(() => () => actions.release('preview'), [actions]);

  const onCommand = useCallback(
    (id: CommandId) => {
      const s = store.getState();
      const { values, field: at } = form.get();
      if (id === 'nextField') form.focus(at + 1);
      else if (id === 'prevField') form.focus(at - 1);
      else if (id === 'submit' && !busy) {
        const n = Number(values.parallel);
        const path = values.file.trim();
        if (!path) s.setStatus('records: type the path of a records file first', 'error');
        else if (at === 0) form.focus(1);
        else if (!Number.isInteger(n) || n < 1) s.setStatus(`parallel: a whole number of at least 1, not "${values.parallel}"`, 'error');
        else if (path !== file.trim() || !preview) s.setStatus('Still reading the records: press Enter again once the preview shows', 'error');
        else if (!previewOk(preview)) s.setStatus('The records have errors (shown above): fix the file first', 'error');
        else {
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
      // A refusal was about what the fields held before this edit.
      if (store.getState().status?.level === 'error') store.getState().clearStatus();
      form.type(input, key);
    },
    [form, store],
  );
  useKeys('compose', focused, { onCommand, onText });
  const inputs = (service.inputParameterDefinitions ?? []).map((d) => `${safeText(d.name)} ${d.type}`).join(', ');
  const lines = previewLines(preview, width).slice(0, Math.max(1, height - 8));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{`New batch of ${safeText(service.name)} ${safeText(service.version)} (inputs: ${inputs || 'none'})`}</TitleLine>
      <FormField label="records" value={file} focused={field === 0} cursor={form.cursor} width={width} />
      <FormField label="parallel" value={parallel} focused={field === 1} cursor={form.cursor} width={width} />
      <Text dimColor wrap="truncate">
        {/* Starting a batch and reading the first rows are waits. */}
        {busy || (file.trim() && !preview) ? <Waiting label={guide(busy, field, file.trim(), preview, parallel)} /> : guide(busy, field, file.trim(), preview, parallel)}
      </Text>
      <Box flexDirection="column" height={Math.max(1, height - 8)}>
        {lines.map((l, i) => (
          <Text key={i} color={l.error ? 'red' : undefined} wrap="truncate">
            {l.text || ' '}
          </Text>
        ))}
      </Box>
      {/* Three rows: a refusal names file, line, record and column, and must be read whole. */}
      <StatusLine width={width} rows={3} />
      <HintBar context="compose" width={width} />
    </Box>
  );
}
