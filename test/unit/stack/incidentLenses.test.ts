// The CodeLens facts: functions from incidents' frames, found in real workspace files.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../harness/git';
import { bareFunctionName, findFunctionLine, functionsInIncidents, lensTitle } from '../../../src/core/stack/incidentLenses';
import { WorkspaceIndex } from '../../../src/core/stack/workspaceIndex';
import type { IncidentSummary } from '../../../src/core/model/incident';
import type { StackFrame } from '../../../src/core/model/frame';

const demoInventory = readFileSync(join(__dirname, '../../demo/app/src/inventory.js'), 'utf8');
const updateLine = demoInventory.split('\n').findIndex((l) => l.includes('UPDATE inventory SET stock = stock - $1')) + 1;

function incident(id: string, count: number, lastSeen: string, frames: StackFrame[]): IncidentSummary {
  return {
    id,
    shortId: `CHECKOUT-${id}`,
    title: `incident ${id}`,
    culprit: '',
    level: 'error',
    count,
    userCount: 1,
    firstSeen: lastSeen,
    lastSeen,
    latestEvent: { eventId: id, exceptions: [{ type: 'Error', value: 'x', frames }] },
  };
}

describe('functions in incidents (CodeLens)', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('forensics-lens-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'inventory.js'), demoInventory);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('groups in-app frames by file and function across incidents, with events and the latest sighting', async () => {
    const index = await WorkspaceIndex.build([{ path: dir, name: 'ws' }]);
    const reserve: StackFrame = {
      absPath: '/app/src/inventory.js',
      function: 'async reserveStock',
      lineNo: updateLine,
      colNo: 3,
      inApp: true,
    };
    const lib: StackFrame = { absPath: '/app/node_modules/pg/lib/client.js', function: 'Client.query', lineNo: 5, inApp: false };
    const found = functionsInIncidents(
      [
        incident('1', 1200, '2026-11-17T10:00:00Z', [reserve, lib]),
        incident('2', 4, '2026-11-17T10:05:00Z', [{ ...reserve, function: 'Object.reserveStock' }]),
        incident('3', 9, '2026-11-17T10:06:00Z', [{ absPath: '/app/src/gone.js', function: 'gone', lineNo: 1, inApp: true }]),
      ],
      { index, folders: [{ name: 'ws', path: dir }] },
    );
    assert.equal(found.length, 1);
    const [f] = found;
    assert.equal(f.file, join(dir, 'src', 'inventory.js'));
    assert.equal(f.name, 'reserveStock');
    assert.deepEqual(
      f.incidents.map((i) => i.id),
      ['1', '2'],
    );
    assert.equal(f.events, 1204);
    assert.equal(lensTitle(f, Date.parse('2026-11-17T10:10:00Z')), '2 incidents · 1,204 events · last 5 minutes ago');
    assert.equal(
      findFunctionLine(demoInventory, f.name, f.frameLine),
      demoInventory.split('\n').findIndex((l) => l.startsWith('async function reserveStock')) + 1,
    );
  });

  it('reads function names and declarations in their usual forms', () => {
    assert.equal(bareFunctionName('new Store'), 'Store');
    assert.equal(bareFunctionName('Router.handle [as handle_request]'), 'handle');
    assert.equal(bareFunctionName('?'), undefined);
    const text = [
      'class Cart {',
      '  async total(items) {',
      '    total(items);',
      '  }',
      '}',
      'const price = async (x) => x;',
      'export const tax = function () {};',
    ].join('\n');
    assert.equal(findFunctionLine(text, 'total', 3), 2);
    assert.equal(findFunctionLine(text, 'price', 7), 6);
    assert.equal(findFunctionLine(text, 'tax', 1), 7);
    assert.equal(findFunctionLine(text, 'missing', 3), undefined);
  });
});
