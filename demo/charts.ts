/**
 * Three tiny SVG charts for the "you" panel, drawn by hand: the figures are few and a chart
 * library would outweigh the whole SDK on the page.
 */

/** A horizontal gauge for a probability, with its value. */
export function gauge(value: number, color: string, label: string): string {
  const w = 140;
  const x = Math.max(0, Math.min(1, value)) * w;
  return `<svg width="${w + 40}" height="14" role="img" aria-label="${label} ${(value * 100).toFixed(0)}%">
    <rect width="${w}" height="10" y="2" rx="3" fill="#e2e8f0"/><rect width="${x}" height="10" y="2" rx="3" fill="${color}"/>
    <text x="${w + 4}" y="11">${(value * 100).toFixed(0)}%</text></svg>`;
}

/** Bars for a few labelled quantities (expected purchases in 30 and 90 days). */
export function bars(items: { label: string; value: number }[]): string {
  const max = Math.max(1, ...items.map((i) => i.value));
  const rows = items.map((it, k) => {
    const w = (it.value / max) * 110;
    return `<text x="0" y="${k * 16 + 11}">${it.label}</text><rect x="34" y="${k * 16 + 2}" width="${w}" height="10" rx="2" fill="#0ea5e9"/>
      <text x="${38 + w}" y="${k * 16 + 11}">${it.value.toFixed(2)}</text>`;
  });
  return `<svg width="190" height="${items.length * 16}" role="img" aria-label="expected purchases">${rows.join('')}</svg>`;
}

/** A sparkline of how a probability moved with each event of this visit. */
export function sparkline(values: number[]): string {
  const w = 180;
  const h = 36;
  if (values.length < 2) return '';
  const max = Math.max(0.05, ...values);
  const pts = values.map((v, i) => `${((i / (values.length - 1)) * (w - 4) + 2).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  return `<svg width="${w}" height="${h}" role="img" aria-label="purchase probability over this visit">
    <polyline points="${pts.join(' ')}" fill="none" stroke="#7c3aed" stroke-width="1.5"/></svg>`;
}
