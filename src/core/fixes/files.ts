// Which files the rules read, on its own so the editor can filter file events without
// loading the rules engine (and the Babel parser it pulls in).
const SCRIPT_FILE = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/i;

export function isAnalyzableFile(fileName: string): boolean {
  return SCRIPT_FILE.test(fileName) && !/\.d\.[mc]?ts$/i.test(fileName);
}
