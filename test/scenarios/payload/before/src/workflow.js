// Runs a document-processing workflow step by step. The state stays in memory between
// steps; only a summary is persisted.
async function runWorkflow(state, steps, persistSummary) {
  for (const step of steps) {
    const output = await step.run(state);
    state.outputs.push(output);
    await persistSummary({ step: step.name, outputs: state.outputs.length });
  }
  return state;
}

module.exports = { runWorkflow };
