// Choosing one of many options by typing: the search behind Slack's external select (block_suggestion) and the
// reading of a typed choice where a platform cannot list every option (a Feishu card is limited to 30 KB, so a
// select of 300 budget lines becomes a text input). Matches a code exactly, then codes that start with the text,
// then labels that contain it; case does not matter.
import { plainText } from './markup.js';

export interface Option {
  value: string;
  label: string;
}

const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** The options matching `query`, best first (exact value, value prefix, then label words), at most `limit`. */
export function searchOptions(options: readonly Option[], query: string, limit = 100): Option[] {
  const q = norm(query);
  if (!q) return options.slice(0, limit);
  const rank = (o: Option): number => {
    const v = norm(o.value);
    if (v === q) return 0;
    if (v.startsWith(q)) return 1;
    if (norm(plainText(o.label)).includes(q)) return 2;
    return 3;
  };
  return options
    .map((o, i) => ({ o, i, r: rank(o) }))
    .filter((x) => x.r < 3)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.o);
}

export type Choice = { value: string } | { ambiguous: Option[] } | null;

/**
 * What a typed `query` chooses among `options`: the option (exact value or label, else the only match), the
 * candidates when several match, or null when none does (the caller's own validation then names the problem).
 */
export function chooseOption(options: readonly Option[], query: string): Choice {
  const q = norm(query);
  if (!q) return null;
  const exact = options.find((o) => norm(o.value) === q) ?? options.find((o) => norm(plainText(o.label)) === q);
  if (exact) return { value: exact.value };
  const hits = searchOptions(options, q, options.length);
  if (hits.length === 1) return { value: hits[0]!.value };
  return hits.length > 1 ? { ambiguous: hits } : null;
}
