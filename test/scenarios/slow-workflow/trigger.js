// One customer's document is large: a state of about 20 MB (150,000 pages). The 20-step workflow finishes,
// with no exception, just slowly. Transactions (static trace lifecycle) go to the local
// Sentry.
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production', tracesSampleRate: 1, enableLogs: true, traceLifecycle: 'static' });
const { runWorkflow } = require(`${process.cwd()}/src/workflow.js`);

const pages = [];
for (let i = 0; pages.length < 150_000; i++) pages.push({ page: i, text: `Clause ${i}: the supplier shall deliver the goods described in annex ${i % 40}.`, words: [i, i * 2, i * 3], flagged: i % 7 === 0 });
const store = {
  states: new Map([['wf_7', JSON.stringify({ tenant: 'tenant-4', document: { pages }, outputs: {} })]]),
  outputs: new Map(),
  get(id) { return this.states.get(id); },
  setOutput(id, step, output) { this.outputs.set(`${id}:${step}`, output); },
};
const names = ['ocr', 'classify', 'redact', 'translate', 'summarise', 'index', 'tag', 'score', 'dedupe', 'link', 'extract', 'validate', 'enrich', 'review', 'approve', 'sign', 'render', 'archive', 'notify', 'close'];
const steps = names.map((name) => ({ name, run: async (state) => ({ step: name, pages: state.document.pages.length }) }));

runWorkflow(store, 'wf_7', steps).then(async () => {
  await Sentry.close(10000);
  process.exit(0);
});
