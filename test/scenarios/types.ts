import type { Reader } from "../../src/readers/readers";

/**
 * One step of a chat scenario: say something, pick a choice by its label (Telegram presses the
 * button; Zalo and the terminal type its number), or check the reader as stored.
 */
export type Step =
  | { say: string; expect?: RegExp[]; not?: RegExp[] }
  | { choose: RegExp; expect?: RegExp[]; not?: RegExp[] }
  | { check: (reader: Reader | undefined) => void };

export interface Scenario {
  name: string;
  steps: Step[];
}
