export { foldAccents, foldForSearch } from "./fold";
export { escapeHtml, escapeHtmlAttribute } from "./html";
export { cleanLine, cleanParagraphs, toNfc } from "./normalize";
export { formatClockTime, isValidTimeZone, parseClockTime } from "./time";
export { searchTokens } from "./tokens";
