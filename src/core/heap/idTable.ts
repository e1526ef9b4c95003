// Node id -> node ordinal over typed arrays. JS Map and Set stop working past 2^24 entries
// and cost far more memory per entry; snapshots of big heaps have tens of millions of nodes.
// V8 hands out ids in steps of 2 from a small start, so in one inspector session most
// ids are dense, and they mostly rise with the node ordinal: those go in a plain array
// indexed by id (one nearly sequential load per lookup). The few ids far above the rest
// (synthetic and embedder nodes), or all of them after a long session that churned
// through many objects, go in an open-addressing hash table.

const EMPTY = 0xffffffff;
/** Ids up to this many times the entry count are addressed directly (at most 4 bytes × this per entry). */
const DENSE_FACTOR = 4;

export class NodeIdTable {
  /** Ordinal + 1 by id (0 = absent) for ids below its length. */
  private readonly direct: Uint32Array;
  private readonly keys: Uint32Array;
  private readonly values: Uint32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(ids: ArrayLike<number>) {
    const bound = DENSE_FACTOR * ids.length + 1024;
    let maxDirect = -1;
    let hashed = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id > bound) hashed++;
      else if (id > maxDirect) maxDirect = id;
    }
    this.direct = new Uint32Array(maxDirect + 1);
    let size = 16;
    let bits = 4;
    while (size < hashed * 2) {
      size *= 2;
      bits++;
    }
    this.mask = size - 1;
    this.shift = 32 - bits;
    this.keys = new Uint32Array(hashed ? size : 0);
    this.values = new Uint32Array(hashed ? size : 0).fill(EMPTY);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id <= maxDirect) this.direct[id] = i + 1;
      else this.insert(id, i);
    }
  }

  private slot(id: number): number {
    // Fibonacci hashing: the high bits of the product are the well-mixed ones.
    return Math.imul(id, 0x9e3779b1) >>> this.shift;
  }

  private insert(id: number, ordinal: number): void {
    let s = this.slot(id);
    while (this.values[s] !== EMPTY && this.keys[s] !== id) s = (s + 1) & this.mask;
    this.keys[s] = id;
    this.values[s] = ordinal;
  }

  /** The ordinal stored for `id`, or -1. */
  get(id: number): number {
    if (id < this.direct.length) return this.direct[id]! - 1;
    if (this.keys.length === 0) return -1;
    let s = this.slot(id);
    for (;;) {
      const v = this.values[s]!;
      if (v === EMPTY) return -1;
      if (this.keys[s] === id) return v;
      s = (s + 1) & this.mask;
    }
  }
}
