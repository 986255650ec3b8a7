/**
 * HTML for the console: a tagged template that escapes every value put into it (text and
 * attribute alike), so a feed's title or a reader's name can never become markup. Trusted
 * markup is built with `html` itself (or `raw` for fixed text such as an SVG made here).
 */
import { escapeHtmlAttribute } from "../../text/html";

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtmlAttribute(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++)
    out += render(values[i] as Value) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Only http(s) addresses become links on a page: never javascript:, data: or the like. */
export function isWebAddress(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** A link to an outside page (a feed, a story), or its text alone when it is not a web address. */
export function outsideLink(url: string, text: string, className?: string): Html {
  return isWebAddress(url)
    ? html`<a${className ? html` class="${className}"` : ""} href="${url}" rel="noopener noreferrer" target="_blank">${text}</a>`
    : html`<span${className ? html` class="${className}"` : ""}>${text}</span>`;
}

/** Markup made here and known safe (never text that came from outside). */
export const raw = (markup: string): Html => new Html(markup);
