// Building DOM without HTML strings: every piece of text (statement text above all) goes
// in as a text node, so nothing from the database is ever parsed as markup.
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | ((e: MouseEvent) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'onclick' && typeof value === 'function') node.addEventListener('click', (e) => value(e as MouseEvent));
    else if (typeof value === 'string') node.setAttribute(key, value);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** A vscode-elements button (a custom element, so created by name). */
export function button(label: string, onClick: () => void, options: { secondary?: boolean; id?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (options.secondary) b.setAttribute('secondary', '');
  if (options.id) b.id = options.id;
  b.addEventListener('click', onClick);
  return b;
}

export function replace(container: Element, ...children: Child[]): void {
  container.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

export const fmtMs = (n: number | null): string => (n === null ? '–' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
export const fmtCount = (n: number): string => n.toLocaleString('en-US');

/** "sampled 03:21:05": the time of the one sample a tab shows, the same on every tab. */
export function sampleStamp(takenAt: string, separator = ' · '): HTMLElement {
  return el(
    'span',
    { class: 'muted sample-time', 'data-taken-at': takenAt },
    `${separator}sampled ${new Date(takenAt).toLocaleTimeString('en-US', { hour12: false })}`,
  );
}
export const fmtSeconds = (n: number | null): string => (n === null ? '–' : n < 10 ? `${n.toFixed(1)} s` : `${Math.round(n)} s`);
export const oneLine = (text: string, max = 90): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
