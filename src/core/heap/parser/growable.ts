// Number sections of a snapshot go into arrays whose final size the header only estimates.
/** A Uint32Array that grows by doubling; `trimmed()` gives the filled part without a copy. */
export class GrowableUint32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  trimmed(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}
