export { foldAccents, foldForSearch } from "./fold";
export { escapeHtml, escapeHtmlAttribute } from "./html";
export { cleanLine, cleanParagraphs, toNfc } from "./normalize";
export { splitPlainText, splitTelegramHtml, visibleLength } from "./split";
export {
  formatClockTime,
  formatLocalDateTime,
  isValidTimeZone,
  localParts,
  parseClockTime,
} from "./time";
export { searchTokens } from "./tokens";
export { truncate } from "./truncate";
