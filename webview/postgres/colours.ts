// Theme colours as chart.js gets them.
/**
 * The colour without its alpha. A theme that does not set charts.orange (Dark Modern) gets
 * VS Code's default, the find-match highlight at a third of its opacity (#EA5C0055): drawn
 * on a dark background that is the dark brown that barely showed.
 */
export function opaque(colour: string): string {
  const hex = /^#([0-9a-f]{6})[0-9a-f]{2}$/i.exec(colour) ?? /^#([0-9a-f]{3})[0-9a-f]$/i.exec(colour);
  if (hex) return `#${hex[1]}`;
  const rgba = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(colour);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : colour;
}
