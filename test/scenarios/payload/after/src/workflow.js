// Runs a document-processing workflow step by step. The whole state is saved between
// steps so a crashed worker can resume where it stopped.
async function runWorkflow(stateJson, steps, save) {
  for (const step of steps) {
    const state = JSON.parse(stateJson);
    const output = await step.run(state);
    state.outputs.push(output);
    stateJson = JSON.stringify(state);
    await save(step.name, stateJson);
  }
  return JSON.parse(stateJson);
}

module.exports = { runWorkflow };
