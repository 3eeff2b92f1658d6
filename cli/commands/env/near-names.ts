/**
 * "Did you mean" for env var names. Edit distance (config/did-you-mean.ts) finds typos such as
 * REDIS_HOTS; renamed variables need word overlap: seed 000's code read NOME_BUCKET_MIDIAS_MIA
 * while Terraform set BUCKET_NAME — far apart as strings, but BUCKET and NOME≈NAME match word by word.
 */
import { distance } from "fastest-levenshtein";
import { closest } from "../../../config/did-you-mean.js";

const words = (name: string) => name.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w !== "");

function wordsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 4 || b.length < 4) return false;
  // a swapped pair of letters (HOTS/HOST) is a typo, not another word
  if (a.length === b.length && [...a].sort().join("") === [...b].sort().join("") && distance(a, b) <= 2) return true;
  // one typo, or a translated near-spelling (NOME/NAME); HOST/PORT are different words
  return distance(a, b) <= (Math.min(a.length, b.length) >= 7 ? 2 : 1);
}

/** Fraction of the candidate's words found in `name` (0..1), ignoring very common words. */
export function wordOverlap(name: string, candidate: string): number {
  const mine = words(name);
  const theirs = words(candidate).filter((w) => w !== "ID" || words(candidate).length === 1);
  if (theirs.length === 0) return 0;
  const hits = theirs.filter((w) => mine.some((m) => wordsMatch(m, w))).length;
  return hits / theirs.length;
}

export function nearName(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== name);
  // Whole-name edit distance accepts REDIS_PORT for REDIS_HOST (2 edits): keep its hit only when
  // every word of it matches a word of the name.
  const typo = closest(name, list);
  if (typo !== undefined && wordOverlap(name, typo) === 1) return typo;
  let best: string | undefined;
  let bestScore = 0;
  for (const candidate of list) {
    const score = wordOverlap(name, candidate);
    // prefer the candidate that is explained best; ties go to the shorter (more specific) name
    if (score > bestScore || (score === bestScore && best !== undefined && candidate.length < best.length)) {
      bestScore = score;
      best = candidate;
    }
  }
  return bestScore >= 0.66 ? best : undefined;
}
