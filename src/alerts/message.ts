/**
 * The alert itself, in one language: one line saying what opened or what cleared (pure).
 */
import { catalogue, type Locale } from "../message/i18n/index";
import { type OutMessage, textMessage } from "../message/model";
import { truncate } from "../text/index";
import type { AlertDetails } from "./detect";

export type AlertPhase = "opened" | "cleared";

/** A feed's error as the admins see it: long ones are cut. */
const ERROR_SHOWN = 300;

const platformName = (platform: string) => (platform === "zalo" ? "Zalo" : "Telegram");
const tokenVariable = (platform: string) =>
  platform === "zalo" ? "ZALO_BOT_TOKEN" : "TELEGRAM_BOT_TOKEN";

export function alertText(details: AlertDetails, phase: AlertPhase, locale: Locale): string {
  const t = catalogue(locale);
  const opened = phase === "opened";
  switch (details.kind) {
    case "feed":
      return opened
        ? t.alertFeedFailing(
            details.url,
            details.failures,
            truncate(details.lastError ?? "?", ERROR_SHOWN),
          )
        : t.alertFeedRecovered(details.url);
    case "dead":
      return opened
        ? t.alertDeadLetters(platformName(details.platform), details.count, details.windowMinutes)
        : t.alertDeadLettersCleared(platformName(details.platform), details.windowMinutes);
    case "lag":
      return opened
        ? t.alertOutboxLag(platformName(details.platform), details.minutes, details.waiting)
        : t.alertOutboxCaughtUp(platformName(details.platform));
    case "token":
      return opened
        ? t.alertTokenRefused(
            platformName(details.platform),
            truncate(details.reason, ERROR_SHOWN),
            tokenVariable(details.platform),
          )
        : t.alertTokenWorks(platformName(details.platform));
  }
}

export function alertMessage(details: AlertDetails, phase: AlertPhase, locale: Locale): OutMessage {
  return textMessage(alertText(details, phase, locale));
}
