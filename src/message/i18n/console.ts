/**
 * What the newsroom's web console (/admin) says, one part per page. Each language's catalogue
 * (vi.ts, en.ts) holds it under `console`, beside what the bot says in chat.
 */
export type NavKey = "overview" | "feeds" | "topics" | "broadcasts" | "deliveries" | "audit";

export interface ConsoleCatalogue {
  common: {
    /** The console's name, after the newsroom's: "bantin · Bàn điều hành". */
    title: string;
    nav: Record<NavKey, string>;
    signedInAs(admin: string): string;
    signOut: string;
    /** The link to the other language, in that language. */
    otherLanguage: string;
    platform: { telegram: string; zalo: string; console: string };
    allPlatforms: string;
    allTopics: string;
    none: string;
    never: string;
    save: string;
    back: string;
    /** A form posted without its CSRF token, or with an old one. */
    csrfRefused: string;
    notFound: string;
    tooManyAttempts: string;
    serverError: string;
    /** Times shown in the newsroom's zone, e.g. "(giờ Việt Nam)". */
    zoneNote(zone: string): string;
  };
  signIn: {
    title: string;
    /** How to get in when not signed in. */
    howTo: string;
    linkTitle: string;
    linkIntro: string;
    linkButton: string;
    linkExpired: string;
    tokenLabel: string;
    tokenButton: string;
    tokenWrong: string;
    signedOut: string;
    /** A link to the console, for one signed in whose cookie a link from elsewhere did not carry. */
    alreadyIn: string;
  };
  overview: Record<string, never>;
  feeds: Record<string, never>;
  topics: Record<string, never>;
  broadcasts: Record<string, never>;
  deliveries: Record<string, never>;
  audit: Record<string, never>;
}
