/**
 * Stories as editors act on them, from any front end: hide one (it stays stored, but is not
 * listed, found, put in a digest nor pushed, and no reader is told) or show it again. Each
 * change is in the audit log with the story's id and headline.
 */
import type { Clock } from "../clock";
import { NotFoundError } from "../db/errors";
import type { Db } from "../db/schema";
import { recordAudit } from "../editors/audit";
import { type Article, findArticle, setArticleHidden } from "../news/articles";

export interface StoryService {
  /** Hides a story; `changed` false when it was hidden already (no audit entry). */
  hide(actor: string, id: number): Promise<{ story: Article; changed: boolean }>;
  /** Shows a hidden story again; `changed` false when it was not hidden. */
  unhide(actor: string, id: number): Promise<{ story: Article; changed: boolean }>;
}

export function storyService(deps: { db: Db; clock: Clock }): StoryService {
  const { db } = deps;

  async function set(actor: string, id: number, hide: boolean) {
    const before = await findArticle(db, id);
    if (!before) throw new NotFoundError(`no story with id ${id}; see \`bantin search\``);
    if ((before.hiddenAt !== null) === hide) return { story: before, changed: false };
    const at = deps.clock().toISOString();
    const story = await setArticleHidden(db, id, hide ? at : null);
    await recordAudit(db, {
      actor,
      action: hide ? "story.hide" : "story.unhide",
      detail: { articleId: id, title: story.title },
      at,
    });
    return { story, changed: true };
  }

  return {
    hide: (actor, id) => set(actor, id, true),
    unhide: (actor, id) => set(actor, id, false),
  };
}
