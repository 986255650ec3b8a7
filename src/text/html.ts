/**
 * Escaping for Telegram's HTML parse mode: only &, < and > need it in text; quotes too inside
 * attribute values. Anything not escaped here makes Telegram answer "can't parse entities".
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function escapeHtmlAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}
