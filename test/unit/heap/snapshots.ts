// Real snapshots for the parser and analysis tests, captured once per run from real
// Node processes, plus small hand-written snapshots whose graph can be checked by hand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeapCapturer } from '../../../src/core/heap/capture';
import { ordersApp, startInspected } from './nodeProcess';

/**
 * Captures baseline/target/final from the orders app in one inspector session (so ids
 * match), serving `perStep` requests before each later snapshot.
 */
export async function captureOrdersSeries(dir: string, mode: 'leak' | 'clean', perStep = 200, prefix: string = mode): Promise<string[]> {
  const app = await startInspected(ordersApp, mode === 'clean' ? ['clean'] : []);
  const capturer = await HeapCapturer.open(app.address);
  try {
    const files: string[] = [];
    for (const label of ['baseline', 'target', 'final']) {
      if (label !== 'baseline') await app.command(`serve ${perStep}`);
      const out = join(dir, `${prefix}-${label}.heapsnapshot`);
      await capturer.take(out);
      files.push(out);
    }
    return files;
  } finally {
    await capturer.close();
    await app.stop();
  }
}

export interface TinyNode {
  type: string;
  name: string;
  id: number;
  size: number;
  edges: { type: string; name: string | number; to: number }[];
}

/** Writes a snapshot in V8's format from a node list (node 0 is the root). */
export function writeTinySnapshot(file: string, nodes: TinyNode[], extraNodeField = false): void {
  const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
  const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
  const strings: string[] = [];
  const str = (s: string): number => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  const fields = extraNodeField
    ? ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness', 'future_field']
    : ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id'];
  const flatNodes: number[] = [];
  const flatEdges: number[] = [];
  for (const n of nodes) {
    flatNodes.push(nodeTypes.indexOf(n.type), str(n.name), n.id, n.size, n.edges.length, 0);
    if (extraNodeField) flatNodes.push(0, 42);
    for (const e of n.edges)
      flatEdges.push(edgeTypes.indexOf(e.type), typeof e.name === 'number' ? e.name : str(e.name), e.to * fields.length);
  }
  const snapshot = {
    snapshot: {
      meta: {
        node_fields: fields,
        node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number', 'number', 'number'].slice(0, fields.length),
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [edgeTypes, 'string_or_number', 'node'],
        location_fields: ['object_index', 'script_id', 'line', 'column'],
      },
      node_count: nodes.length,
      edge_count: flatEdges.length / 3,
      trace_function_count: 0,
    },
    nodes: flatNodes,
    edges: flatEdges,
    trace_function_infos: [],
    trace_tree: [],
    samples: [],
    locations: [],
    future_section: { nested: [[1, 2], { a: 'b]}' }] },
    strings,
  };
  writeFileSync(file, JSON.stringify(snapshot));
}
