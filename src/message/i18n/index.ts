import type { Catalogue } from "./catalogue";
import { en } from "./en";
import { vi } from "./vi";

export type { Catalogue };
export type Locale = "vi" | "en";

export const LOCALES: readonly Locale[] = ["vi", "en"];

const catalogues: Record<Locale, Catalogue> = { vi, en };

export function catalogue(locale: Locale): Catalogue {
  return catalogues[locale] ?? vi;
}

/** A stored or typed language code as a locale we speak; anything else is Vietnamese. */
export function toLocale(value: string | null | undefined): Locale {
  return value === "en" ? "en" : "vi";
}
