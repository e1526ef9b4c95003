// Node id -> node ordinal as an open-addressing hash table over typed arrays. JS Map and
// Set stop working past 2^24 entries and cost far more memory per entry; snapshots of
// big heaps have tens of millions of nodes.

const EMPTY = 0xffffffff;

export class NodeIdTable {
  private readonly keys: Uint32Array;
  private readonly values: Uint32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(ids: ArrayLike<number>, capacityHint = ids.length) {
    let size = 16;
    let bits = 4;
    while (size < capacityHint * 2) {
      size *= 2;
      bits++;
    }
    this.mask = size - 1;
    this.shift = 32 - bits;
    this.keys = new Uint32Array(size);
    this.values = new Uint32Array(size).fill(EMPTY);
    for (let i = 0; i < ids.length; i++) this.insert(ids[i]!, i);
  }

  private slot(id: number): number {
    // Fibonacci hashing: the high bits of the product are the well-mixed ones.
    return Math.imul(id, 0x9e3779b1) >>> this.shift;
  }

  insert(id: number, ordinal: number): void {
    let s = this.slot(id);
    while (this.values[s] !== EMPTY && this.keys[s] !== id) s = (s + 1) & this.mask;
    this.keys[s] = id;
    this.values[s] = ordinal;
  }

  /** The ordinal stored for `id`, or -1. */
  get(id: number): number {
    let s = this.slot(id);
    for (;;) {
      const v = this.values[s]!;
      if (v === EMPTY) return -1;
      if (this.keys[s] === id) return v;
      s = (s + 1) & this.mask;
    }
  }
}
