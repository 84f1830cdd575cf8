/**
 * Messages shared with the headless commands give command-line advice (`--password-stdin`,
 * `--format`, `mlbatch services`); in the app that advice is wrong, so the status line says
 * what to do in the app instead. Each entry: what the command line says, what the app says.
 */
const CLI_TO_APP: readonly [string, string][] = [
  [': pipe the password to --password-stdin, set MLBATCH_PASSWORD or MLBATCH_TOKEN, or run `mlbatch login`', ': type the password in the password field (Tab moves there)'],
  [': pipe it to --password-stdin or set MLBATCH_PASSWORD', ': type it in the password field (Tab moves there)'],
  [', or say --format json', ''],
  [', or say which with --format', ''],
  [' (see `mlbatch services`)', ' (q goes back to the services)'],
  ['use --insecure only if', 'start mlbatch with --insecure only if'],
  // A rerun whose records are not the execution's (journal/rerun.ts): the file goes to the command.
  [': give the original file with --records FILE', ': give the original file with mlbatch rerun … --records FILE'],
];

/** `text` with command-line advice replaced by the app's. */
export function appAdvice(text: string): string {
  let out = text;
  for (const [cli, app] of CLI_TO_APP) if (out.includes(cli)) out = out.split(cli).join(app);
  return out;
}
