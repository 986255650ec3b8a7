/**
 * What a platform can show, which is all the renderers and the numbering rule ask about it:
 * whether messages are Telegram HTML or plain text, and whether buttons are buttons or numbered
 * choices typed back. Nothing else decides on a platform's name.
 */
export interface PlatformTraits {
  /** How text is marked up: Telegram's HTML subset, or plain text. */
  markup: "html" | "plain";
  /** Whether buttons show as buttons; without them they are "[n] label" choices typed back. */
  buttons: boolean;
}

const TRAITS: Record<string, PlatformTraits> = {
  telegram: { markup: "html", buttons: true },
  zalo: { markup: "plain", buttons: false },
  terminal: { markup: "plain", buttons: false },
};

/** A platform's traits; one not known is plain text with numbered choices. */
export function traitsOf(platform: string): PlatformTraits {
  return TRAITS[platform] ?? { markup: "plain", buttons: false };
}
