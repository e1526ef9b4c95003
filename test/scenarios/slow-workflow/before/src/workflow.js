// Runs a document workflow step by step. The state is read from the store once and each
// step's small output is saved, so a crashed worker can resume where it stopped.
const Sentry = require('@sentry/node');

function loadState(store, id) {
  const json = store.get(id);
  const attributes = { state_size_bytes: Buffer.byteLength(json), 'code.function': 'loadState' };
  return Sentry.startSpan({ name: 'JSON.parse', op: 'workflow.load_state', attributes }, () =>
    JSON.parse(json),
  );
}

async function runWorkflow(store, id, steps) {
  return Sentry.startSpan({ name: `workflow ${id}`, op: 'workflow.run' }, async () => {
    const state = loadState(store, id);
    for (const step of steps) {
      await Sentry.startSpan({ name: `step ${step.name}`, op: 'workflow.step' }, async () => {
        const output = await step.run(state);
        store.setOutput(id, step.name, output);
      });
    }
  });
}

module.exports = { runWorkflow };
