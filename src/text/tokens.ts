import { foldForSearch } from "./fold";

const WORD = /[\p{L}\p{N}]+/gu;

/** Folded words of a text: what the search index stores and what queries are cut into. */
export function searchTokens(text: string): string[] {
  return foldForSearch(text).match(WORD) ?? [];
}
