import { BASICS } from "./basics";
import type { Scenario } from "./types";

export type { Scenario, Step } from "./types";

/** Every chat scenario, run on Telegram, Zalo (webhook and polling) and the console. */
export const SCENARIOS: Scenario[] = [...BASICS];
