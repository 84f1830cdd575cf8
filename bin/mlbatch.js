#!/usr/bin/env node
import { main } from '../dist/bundle/cli.js';

// A reader that closes the pipe early (`mlbatch export … | head -2`) ends the command quietly,
// as it ends cat or jq, instead of with a stack trace. (A terminal that goes away is the app's
// to handle: it stops its server first.)
for (const stream of [process.stdout, process.stderr]) {
  if (stream.isTTY) continue;
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`mlbatch: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
