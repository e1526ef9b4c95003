// Reads a .heapsnapshot file in chunks into typed arrays. The field layout and type
// names come from `snapshot.meta` (newer V8 versions add node fields such as
// `detachedness`), never from constants here.
import { promises as fsp } from 'node:fs';
import { abortError } from '../cancel';
import { GrowableUint32 } from './growable';
import { HeapSnapshotFormatError, SnapshotTokenizer } from './tokenizer';

export { HeapSnapshotFormatError } from './tokenizer';

export interface SnapshotMeta {
  node_fields: string[];
  node_types: (string | string[])[];
  edge_fields: string[];
  edge_types: (string | string[])[];
  location_fields?: string[];
}

export interface RawSnapshot {
  meta: SnapshotMeta;
  nodeCount: number;
  edgeCount: number;
  nodes: Uint32Array;
  edges: Uint32Array;
  /** Empty when the snapshot has no `locations` section (older V8). */
  locations: Uint32Array;
  strings: string[];
  fileBytes: number;
}

export interface ParseOptions {
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function readMeta(header: unknown): { meta: SnapshotMeta; nodeCount: number; edgeCount: number } {
  const h = header as { meta?: Partial<SnapshotMeta>; node_count?: unknown; edge_count?: unknown } | null;
  const meta = h?.meta;
  if (
    !meta ||
    !isStringArray(meta.node_fields) ||
    !isStringArray(meta.edge_fields) ||
    !Array.isArray(meta.node_types) ||
    !Array.isArray(meta.edge_types)
  ) {
    throw new HeapSnapshotFormatError('not a V8 heap snapshot: "snapshot.meta" lacks node_fields/node_types/edge_fields/edge_types', 0);
  }
  for (const field of ['type', 'name', 'id', 'self_size', 'edge_count']) {
    if (!meta.node_fields.includes(field)) throw new HeapSnapshotFormatError(`snapshot.meta.node_fields has no "${field}"`, 0);
  }
  for (const field of ['type', 'name_or_index', 'to_node']) {
    if (!meta.edge_fields.includes(field)) throw new HeapSnapshotFormatError(`snapshot.meta.edge_fields has no "${field}"`, 0);
  }
  return { meta: meta as SnapshotMeta, nodeCount: Number(h.node_count) || 0, edgeCount: Number(h.edge_count) || 0 };
}

/** Feeds chunks to the tokenizer and collects the sections; usable on any chunk source. */
export class SnapshotAssembler {
  private header: ReturnType<typeof readMeta> | undefined;
  private nodes: GrowableUint32 | undefined;
  private edges: GrowableUint32 | undefined;
  private readonly locations = new GrowableUint32(1024);
  private readonly strings: string[] = [];
  private readonly tokenizer = new SnapshotTokenizer({
    header: (value) => {
      this.header = readMeta(value);
      this.nodes = new GrowableUint32(this.header.nodeCount * this.header.meta.node_fields.length);
      this.edges = new GrowableUint32(this.header.edgeCount * this.header.meta.edge_fields.length);
    },
    numbers: (key) => {
      if (key !== 'nodes' && key !== 'edges' && key !== 'locations') return undefined;
      if (key === 'locations') return this.locations;
      if (!this.header) throw new HeapSnapshotFormatError(`"${key}" comes before the "snapshot" header`, this.tokenizer.bytesSeen);
      return key === 'nodes' ? this.nodes : this.edges;
    },
    string: (value) => {
      this.strings.push(value);
    },
  });

  push(chunk: Buffer): void {
    this.tokenizer.push(chunk);
  }

  finish(): RawSnapshot {
    this.tokenizer.end();
    const end = this.tokenizer.bytesSeen;
    if (!this.header || !this.nodes || !this.edges) throw new HeapSnapshotFormatError('no "snapshot" header', end);
    const { meta, nodeCount, edgeCount } = this.header;
    const nodes = this.nodes.trimmed();
    const edges = this.edges.trimmed();
    const nf = meta.node_fields.length;
    const ef = meta.edge_fields.length;
    if (nodes.length !== nodeCount * nf) {
      throw new HeapSnapshotFormatError(
        `"nodes" holds ${nodes.length} numbers, the header promises ${nodeCount} nodes × ${nf} fields`,
        end,
      );
    }
    if (edges.length !== edgeCount * ef) {
      throw new HeapSnapshotFormatError(
        `"edges" holds ${edges.length} numbers, the header promises ${edgeCount} edges × ${ef} fields`,
        end,
      );
    }
    return { meta, nodeCount, edgeCount, nodes, edges, locations: this.locations.trimmed(), strings: this.strings, fileBytes: end };
  }
}

/** Read size: large enough that the per-read cost vanishes, small enough to stay in cache. */
const READ_BYTES = 4 << 20;

export async function parseSnapshotFile(file: string, options: ParseOptions = {}): Promise<RawSnapshot> {
  let handle: fsp.FileHandle;
  let total: number;
  try {
    handle = await fsp.open(file, 'r');
    total = (await handle.stat()).size;
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const assembler = new SnapshotAssembler();
  // One buffer, reused for every read: the tokenizer copies what it keeps (numbers into
  // typed arrays, strings decoded), so no per-chunk garbage is left for the GC.
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let read = 0;
  let lastReport = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) throw abortError();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, read);
      if (bytesRead === 0) break;
      assembler.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      read += bytesRead;
      if (read - lastReport >= 16 << 20 || read === total) {
        lastReport = read;
        options.onProgress?.(read, total);
      }
    }
    return assembler.finish();
  } catch (err) {
    if (err instanceof HeapSnapshotFormatError) err.message = `${file}: ${err.message}`;
    throw err;
  } finally {
    await handle.close();
  }
}
