import { distance } from "fastest-levenshtein";

/** The closest candidate within a small edit distance (case-insensitive), for "did you mean" hints. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const score = distance(lower, candidate.toLowerCase());
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  // Allow roughly one typo per four characters, at least 2, so "redis.hostname" finds "redis.host".
  const budget = Math.max(2, Math.ceil(word.length / 4));
  if (best !== undefined && (bestScore <= budget || best.toLowerCase().startsWith(lower) || lower.startsWith(best.toLowerCase()))) {
    return best;
  }
  return undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit === undefined ? "" : `; did you mean "${hit}"?`;
}
