import { BASICS } from "./basics";
import { NEWS_AS_IT_HAPPENS } from "./news-as-it-happens";
import { NUMBERING } from "./numbering";
import { STORIES_READ } from "./stories-read";
import type { Scenario } from "./types";

export type { Scenario, Step } from "./types";

/** Every chat scenario, run on Telegram, Zalo (webhook and polling) and the terminal. */
export const SCENARIOS: Scenario[] = [
  ...BASICS,
  ...STORIES_READ,
  ...NUMBERING,
  ...NEWS_AS_IT_HAPPENS,
];
