#!/usr/bin/env node
/**
 * The `utrace-explore` executable: runs {@link runCli} on the process's arguments and exits
 * with its status. See `utrace-explore --help`.
 *
 * @packageDocumentation
 */
import { EXIT, runCli } from './cli.js';

// A reader that goes away (`utrace-explore thread | head -1`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// The first Ctrl-C stops the search and prints what it found so far; a second one exits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  interrupt.abort();
});

// Scenario code may leave a promise rejected with nobody to handle it (an async callback whose
// promise rejects after the run, say): report it and exit as a software error instead of crashing
// after a result was printed.
process.on('unhandledRejection', (reason) => {
  let text: string;
  try {
    text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  } catch {
    text = 'a value that cannot be printed';
  }
  process.stderr.write(`utrace-explore: scenario code left a promise rejected with no handler (the result above may not hold): ${text}\n`);
  process.exitCode = EXIT.software;
});

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: interrupt.signal,
  });
} catch (e) {
  process.stderr.write(`utrace-explore: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = EXIT.software;
}
