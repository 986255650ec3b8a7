import type { ConsoleRoutes } from "../plugin";

/** Placeholder: the feeds page is being built. */
export const feedsPage: ConsoleRoutes = () => {};
