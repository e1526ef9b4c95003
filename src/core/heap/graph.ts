// The snapshot as a graph addressed by node ordinal (0 = the synthetic root): field
// offsets resolved from the meta, the first edge of each node, class names the way
// DevTools shows them, and the retainers (reverse edges) in compressed-row form. Every
// per-node table is a typed array; no Map or Set is keyed by node.
import { HeapSnapshotFormatError, type RawSnapshot } from './parser/index';

function typeNames(types: (string | string[])[], index: number): string[] {
  const t = types[index];
  return Array.isArray(t) ? t : [];
}

export class HeapGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodes: Uint32Array;
  readonly edges: Uint32Array;
  readonly strings: string[];
  readonly nodeFieldCount: number;
  readonly edgeFieldCount: number;
  private readonly typeOffset: number;
  private readonly nameOffset: number;
  private readonly idOffset: number;
  private readonly selfSizeOffset: number;
  private readonly detachednessOffset: number;
  private readonly edgeTypeOffset: number;
  private readonly edgeNameOffset: number;
  private readonly edgeToOffset: number;
  readonly nodeTypes: string[];
  readonly edgeTypes: string[];
  /** Edge ordinal of each node's first edge; firstEdge[nodeCount] = edgeCount. */
  readonly firstEdge: Uint32Array;
  /** Target node ordinal of each edge. */
  readonly edgeTo: Uint32Array;
  /** Class ordinal of each node, into `classNames`. */
  readonly classOf: Uint32Array;
  readonly classNames: string[] = [];
  /**
   * Strong retainers (weak references do not retain): for node n, retainerNode[firstRetainer[n]
   * .. firstRetainer[n+1]-1] are the nodes holding it. Weak edges are left out here once,
   * so the dominator pass does not look up each edge's type at random.
   */
  readonly firstRetainer: Uint32Array;
  readonly retainerNode: Uint32Array;
  readonly weakEdgeType: number;
  readonly elementEdgeType: number;
  readonly hiddenEdgeType: number;
  readonly locations: Uint32Array;
  readonly locationFieldCount: number;

  constructor(raw: RawSnapshot) {
    const nf = raw.meta.node_fields;
    const ef = raw.meta.edge_fields;
    this.nodes = raw.nodes;
    this.edges = raw.edges;
    this.strings = raw.strings;
    this.nodeCount = raw.nodeCount;
    this.edgeCount = raw.edgeCount;
    this.nodeFieldCount = nf.length;
    this.edgeFieldCount = ef.length;
    this.typeOffset = nf.indexOf('type');
    this.nameOffset = nf.indexOf('name');
    this.idOffset = nf.indexOf('id');
    this.selfSizeOffset = nf.indexOf('self_size');
    this.detachednessOffset = nf.indexOf('detachedness');
    const edgeCountOffset = nf.indexOf('edge_count');
    this.edgeTypeOffset = ef.indexOf('type');
    this.edgeNameOffset = ef.indexOf('name_or_index');
    this.edgeToOffset = ef.indexOf('to_node');
    this.nodeTypes = typeNames(raw.meta.node_types, this.typeOffset);
    this.edgeTypes = typeNames(raw.meta.edge_types, this.edgeTypeOffset);
    this.weakEdgeType = this.edgeTypes.indexOf('weak');
    this.elementEdgeType = this.edgeTypes.indexOf('element');
    this.hiddenEdgeType = this.edgeTypes.indexOf('hidden');
    this.locations = raw.locations;
    this.locationFieldCount = raw.meta.location_fields?.length ?? 4;

    const n = this.nodeCount;
    this.firstEdge = new Uint32Array(n + 1);
    let e = 0;
    for (let i = 0; i < n; i++) {
      this.firstEdge[i] = e;
      e += this.nodes[i * this.nodeFieldCount + edgeCountOffset]!;
    }
    this.firstEdge[n] = e;
    if (e !== this.edgeCount)
      throw new HeapSnapshotFormatError(`the nodes' edge counts add up to ${e}, the snapshot has ${this.edgeCount} edges`, 0);
    // Edge targets as node ordinals, checked once here so no later pass divides or trusts the file.
    this.edgeTo = new Uint32Array(this.edgeCount);
    const nfc = this.nodeFieldCount;
    const limit = n * nfc;
    for (let k = 0, at = this.edgeToOffset; k < this.edgeCount; k++, at += this.edgeFieldCount) {
      const to = this.edges[at]!;
      const ordinal = to / nfc;
      if (to >= limit || ordinal !== Math.floor(ordinal))
        throw new HeapSnapshotFormatError(`edge ${k} points at ${to}, which is not a node`, 0);
      this.edgeTo[k] = ordinal;
    }

    // Class ordinals: objects and natives are classed by their name (one lookup per distinct
    // name, not per node), every other node type is one class of its own.
    this.classOf = new Uint32Array(n);
    const classIndex = new Map<string, number>(); // keyed by class name, not by node
    const classFor = (name: string): number => {
      let c = classIndex.get(name);
      if (c === undefined) {
        c = this.classNames.push(name) - 1;
        classIndex.set(name, c);
      }
      return c;
    };
    const byName = new Int32Array(this.strings.length).fill(-1);
    const byType = new Int32Array(this.nodeTypes.length + 1).fill(-1);
    const objectType = this.nodeTypes.indexOf('object');
    const nativeType = this.nodeTypes.indexOf('native');
    for (let i = 0, at = 0; i < n; i++, at += nfc) {
      const type = this.nodes[at + this.typeOffset]!;
      let c: number;
      if (type === objectType || type === nativeType) {
        const name = this.nodes[at + this.nameOffset]!;
        c = name < byName.length ? byName[name]! : -1;
        if (c < 0) {
          c = classFor(this.className(i));
          if (name < byName.length) byName[name] = c;
        }
      } else {
        const slot = type < this.nodeTypes.length ? type : this.nodeTypes.length;
        c = byType[slot]!;
        if (c < 0) byType[slot] = c = classFor(this.className(i));
      }
      this.classOf[i] = c;
    }

    // Strong retainers in compressed-row form: count, prefix-sum, fill.
    const weak = this.weakEdgeType;
    const efc = this.edgeFieldCount;
    this.firstRetainer = new Uint32Array(n + 1);
    for (let k = 0, at = this.edgeTypeOffset; k < this.edgeCount; k++, at += efc) {
      if (this.edges[at] !== weak) this.firstRetainer[this.edgeTo[k]! + 1]!++;
    }
    for (let i = 0; i < n; i++) this.firstRetainer[i + 1]! += this.firstRetainer[i]!;
    this.retainerNode = new Uint32Array(this.firstRetainer[n]!);
    const fill = this.firstRetainer.slice(0, n);
    for (let i = 0, k = 0, at = this.edgeTypeOffset; i < n; i++) {
      for (const end = this.firstEdge[i + 1]!; k < end; k++, at += efc) {
        if (this.edges[at] !== weak) this.retainerNode[fill[this.edgeTo[k]!]!++] = i;
      }
    }
  }

  nodeType(i: number): string {
    return this.nodeTypes[this.nodeTypeIndex(i)] ?? 'unknown';
  }
  /** Index into `nodeTypes`, for per-type tables without comparing strings. */
  nodeTypeIndex(i: number): number {
    return this.nodes[i * this.nodeFieldCount + this.typeOffset]!;
  }
  nodeName(i: number): string {
    return this.strings[this.nodeNameIndex(i)] ?? '';
  }
  nodeNameIndex(i: number): number {
    return this.nodes[i * this.nodeFieldCount + this.nameOffset]!;
  }
  nodeId(i: number): number {
    return this.nodes[i * this.nodeFieldCount + this.idOffset]!;
  }
  selfSize(i: number): number {
    return this.nodes[i * this.nodeFieldCount + this.selfSizeOffset]!;
  }
  /** 2 = detached (V8's "detachedness"); 0 when the snapshot does not say. */
  detachedness(i: number): number {
    return this.detachednessOffset < 0 ? 0 : this.nodes[i * this.nodeFieldCount + this.detachednessOffset]!;
  }
  edgeType(k: number): number {
    return this.edges[k * this.edgeFieldCount + this.edgeTypeOffset]!;
  }
  edgeTarget(k: number): number {
    return this.edgeTo[k]!;
  }
  /** A property name, or `[index]` for elements and hidden edges. */
  edgeName(k: number): string {
    const raw = this.edges[k * this.edgeFieldCount + this.edgeNameOffset]!;
    const t = this.edgeType(k);
    if (t === this.elementEdgeType || t === this.hiddenEdgeType) return `[${raw}]`;
    return this.strings[raw] ?? `[${raw}]`;
  }

  /** The class name DevTools shows: the constructor name for objects, "(closure)", "(string)"… otherwise. */
  className(i: number): string {
    const type = this.nodeType(i);
    if (type === 'object' || type === 'native') return this.nodeName(i) || 'Object';
    if (type === 'hidden') return '(system)';
    if (type === 'code') return '(compiled code)';
    return `(${type})`;
  }

  /** Whether an edge keeps its target alive for retention purposes (weak ones do not). */
  isStrongEdge(k: number): boolean {
    return this.edgeType(k) !== this.weakEdgeType;
  }
}
