// A customer uploads a 50 MB document. Every step re-parses and re-serialises the whole
// state, and each step's output carries the document forward, until the state no longer
// fits in one JavaScript string.
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production' });
const { runWorkflow } = require(`${process.cwd()}/src/workflow.js`);

const document = 'x'.repeat(50 * 1024 * 1024);
const steps = ['ocr', 'classify', 'redact', 'translate', 'summarise', 'archive'].map((name) => ({
  name,
  // Each step returns its annotated copy of everything seen so far.
  run: async (state) => ({ step: name, pages: [state.document, ...state.outputs.map((o) => o.pages).flat()] }),
}));

async function main() {
  Sentry.setUser({ id: 'tenant-4' });
  try {
    await runWorkflow(JSON.stringify({ document, outputs: [] }), steps, async () => undefined);
  } catch (err) {
    Sentry.captureException(err);
  }
  await Sentry.close(5000);
  process.exit(0);
}
main();
