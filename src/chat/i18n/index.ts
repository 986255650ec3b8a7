import type { Catalogue } from "./catalogue";
import { en } from "./en";
import { vi } from "./vi";

export type { Catalogue };
export type Locale = "vi" | "en";

const catalogues: Record<Locale, Catalogue> = { vi, en };

export function catalogue(locale: Locale): Catalogue {
  return catalogues[locale] ?? vi;
}
