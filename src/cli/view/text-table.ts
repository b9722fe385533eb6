// Columns aligned the way kubectl prints them: upper-case headers, cells padded to the widest, three spaces
// between columns, no trailing blanks. Empty cells show as "-" so every column stays readable.

/** A row's cells; undefined and "" print as "-". */
export type Row = readonly (string | number | undefined)[];

const cellText = (cell: string | number | undefined): string =>
  cell === undefined || cell === '' ? '-' : String(cell);

const gap = '   ';

export function formatTable(header: readonly string[], rows: readonly Row[], indent = ''): string {
  const all = [header, ...rows].map((row) => header.map((_, i) => cellText(row[i])));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join(gap)
          .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** A list cut to `max` entries for a narrow column, e.g. "a,b,c,+2". */
export function shortList(items: readonly string[] | undefined, max: number): string {
  const list = items ?? [];
  if (list.length <= max) return list.join(',');
  return `${list.slice(0, max).join(',')},+${String(list.length - max)}`;
}
