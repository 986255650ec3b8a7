/** The site's articles: the fixture stories plus what a test adds or edits, with a clock. */
import { localToMs, slugify } from "./text";
import type { CategorySlug, FakeArticle, FakeArticleInput } from "./types";

/** The site clock's zero; each change moves it one minute on (Last-Modified follows). */
const CLOCK_BASE_MS = Date.UTC(2026, 0, 27, 3, 0, 0);

export const articlePath = (a: FakeArticle): string => `/${a.slug}-post${a.id}.html`;

export class Newsroom {
  private readonly articles = new Map<number, FakeArticle>();
  private tick = 0;

  constructor(stories: FakeArticleInput[]) {
    for (const input of stories) {
      this.articles.set(input.id, {
        ...input,
        slug: input.slug ?? slugify(input.title),
        revision: 1,
        changedAt: 0,
      });
    }
  }

  find(id: number): FakeArticle | undefined {
    return this.articles.get(id);
  }

  get(id: number): FakeArticle {
    const a = this.articles.get(id);
    if (!a) throw new Error(`fake news site: no article ${id}`);
    return a;
  }

  add(input: FakeArticleInput): FakeArticle {
    if (this.articles.has(input.id)) throw new Error(`fake news site: article ${input.id} exists`);
    this.tick++;
    const article: FakeArticle = {
      ...input,
      slug: input.slug ?? slugify(input.title),
      revision: 1,
      changedAt: this.tick,
    };
    this.articles.set(input.id, article);
    return article;
  }

  edit(id: number, patch: Partial<Omit<FakeArticleInput, "id">>): FakeArticle {
    const current = this.get(id);
    this.tick++;
    // The URL stays put when a headline is edited, as on real CMSes.
    const next: FakeArticle = {
      ...current,
      ...patch,
      id,
      slug: patch.slug ?? current.slug,
      revision: current.revision + 1,
      changedAt: this.tick,
    };
    this.articles.set(id, next);
    return next;
  }

  /** Newest first. */
  sorted(): FakeArticle[] {
    return [...this.articles.values()].sort(
      (a, b) => localToMs(b.publishedAt) - localToMs(a.publishedAt) || b.id - a.id,
    );
  }

  /** The stories of a category's feed, or of "home" (all). */
  inFeed(slug: string): FakeArticle[] {
    return this.sorted().filter(
      (a) => slug === "home" || a.categories.includes(slug as CategorySlug),
    );
  }

  lastModified(list: FakeArticle[]): Date {
    return new Date(CLOCK_BASE_MS + Math.max(0, ...list.map((a) => a.changedAt)) * 60_000);
  }
}
