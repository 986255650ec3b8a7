/**
 * A photo for breaking news from an address an editor gives: read once through the fetch guard
 * (public addresses only, unless FETCH_ALLOW_PRIVATE says otherwise; redirects, size and time
 * limited) and kept only if it is an image the platforms take by address (up to 5 MB).
 */
import { FetchError, type Fetcher } from "../news/fetch/http-fetch";

/** Telegram fetches photos by address up to 5 MB; Zalo's limit is no larger. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** Why a photo address cannot be used: the guard refused it, it is no image, or the fetch failed. */
export type PhotoProblem = "refused" | "not-image" | "bad-url" | "unreachable";

export type PhotoCheck =
  | { ok: true; url: string }
  | { ok: false; why: PhotoProblem; reason: string };

/** Reads `url` once and says whether it is an image bantin may send; the final address if so. */
export async function checkPhotoUrl(fetcher: Fetcher, url: string): Promise<PhotoCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, why: "bad-url", reason: "not a web address" };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return { ok: false, why: "bad-url", reason: "not an http(s) address" };
  }
  try {
    const result = await fetcher.fetchText(parsed.toString(), {
      accept: "image/jpeg, image/png, image/webp, image/gif;q=0.8",
      maxBytes: PHOTO_MAX_BYTES,
    });
    if (result.status !== "ok") return { ok: true, url: parsed.toString() };
    const type = (result.contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!type.startsWith("image/")) {
      return { ok: false, why: "not-image", reason: `not an image (${type || "no content type"})` };
    }
    return { ok: true, url: result.url };
  } catch (error) {
    if (error instanceof FetchError) {
      const why: PhotoProblem =
        error.kind === "refused" ? "refused" : error.kind === "bad-url" ? "bad-url" : "unreachable";
      return { ok: false, why, reason: error.message };
    }
    throw error;
  }
}
