// The table of CLI commands. Each feature contributes its own list from a file beside this one.
import type { CliCommand } from '../framework';
import { fixesCommands } from './fixes';
import { heapCommands } from './heap';
import { sentryCommands } from './sentry';
import { stackCommands } from './stack';
import { triageCommands } from './triage';
import { postgresCommands } from './db';
import { traceCommands } from './trace';
import { logsCommands } from './logs';
import { profileCommands } from './profile';
import { memoryCommands } from './memory';

export const commands: readonly CliCommand[] = [
  ...sentryCommands,
  ...stackCommands,
  ...triageCommands,
  ...fixesCommands,
  ...postgresCommands,
  ...heapCommands,
  ...traceCommands,
  ...logsCommands,
  ...profileCommands,
  ...memoryCommands,
];
