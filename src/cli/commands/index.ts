// The table of CLI commands. Each feature contributes its own list from a file beside this one.
import type { CliCommand } from '../framework';
import { heapCommands } from './heap';
import { sentryCommands } from './sentry';
import { stackCommands } from './stack';

export const commands: readonly CliCommand[] = [
  ...sentryCommands,
  ...stackCommands,
  ...heapCommands,
];
