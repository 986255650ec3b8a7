export type { ExtractorSelectors } from "../feeds";

export interface ExtractedPhoto {
  url: string;
  caption: string;
}

export interface ExtractedStory {
  title: string;
  lead: string;
  body: string[];
  photos: ExtractedPhoto[];
  author: string | null;
  /** ISO 8601 in UTC, e.g. "2026-01-26T01:27:00.000Z". */
  publishedAt: string | null;
}

export interface ExtractOptions {
  /** "Now" for rejecting future dates; defaults to the system clock. */
  now?: Date;
}
