export {
  type DateParseOptions,
  type DateVerdict,
  judgeDateTime,
  parseDateTime,
  VIETNAM_OFFSET_MINUTES,
} from "./date";
export { foldAccents, foldForSearch } from "./fold";
export { escapeHtml, escapeHtmlAttribute } from "./html";
export {
  cleanLine,
  cleanParagraphs,
  dropFormatCharacters,
  dropLoneSurrogates,
  toNfc,
} from "./normalize";
export { splitPlainText, splitTelegramHtml, visibleLength } from "./split";
export {
  formatClockTime,
  formatEditorDue,
  formatEditorTime,
  formatLocalDateTime,
  formatReaderTime,
  isValidTimeZone,
  localParts,
  parseClockTime,
} from "./time";
export { searchTokens } from "./tokens";
export { type TruncateOptions, truncate } from "./truncate";
