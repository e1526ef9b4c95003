// Sizes in words for people, and back: "12.3 MB", "--fail-on-growth 5MB".

export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  for (const unit of ['B', 'kB', 'MB', 'GB']) {
    if (v < 1024 || unit === 'GB') return `${sign}${unit === 'B' ? v : v.toFixed(v < 10 ? 1 : 0)} ${unit}`;
    v /= 1024;
  }
  return `${bytes} B`;
}

/** "5MB", "512k", "1.5 GiB", "2048" (bytes). Units are powers of 1024. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a size (for example 5MB, 512kB or 1048576)`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * scale);
}

export function signedCount(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function signedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}
