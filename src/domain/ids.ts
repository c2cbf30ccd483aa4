// Human-friendly ids (ADJ-12, CMP-7, RSK-3, EXP-40): the prefix tells people what kind of record it is,
// while the number is the database id. Parsing is lenient about case, dash and "#", strict about the prefix.
export const ID_PREFIXES = ['ADJ', 'CMP', 'RSK', 'EXP'] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

/** Largest id we accept: a signed 32-bit integer, what SQLite autoincrement ids fit into comfortably. */
export const MAX_ID = 2 ** 31 - 1;

export function formatId(prefix: IdPrefix, id: number): string {
  return `${prefix}-${id}`;
}

/** Accepts `ADJ-12`, `adj-12`, `ADJ12`, `#12`, `12` for prefix ADJ; null for another prefix, 0, negatives, > MAX_ID, junk. */
export function parseId(token: string, prefix: IdPrefix): number | null {
  const m = /^(?:([A-Za-z]+)-?|#)?(\d{1,10})$/.exec(token.trim());
  if (!m) return null;
  if (m[1] !== undefined && m[1].toUpperCase() !== prefix) return null;
  const n = Number(m[2]);
  if (n < 1 || n > MAX_ID) return null;
  return n;
}
