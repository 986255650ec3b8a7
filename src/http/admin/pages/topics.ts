import type { ConsoleRoutes } from "../plugin";

/** Placeholder: the topics page is being built. */
export const topicsPage: ConsoleRoutes = () => {};
