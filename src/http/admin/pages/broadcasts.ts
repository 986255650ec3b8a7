import type { ConsoleRoutes } from "../plugin";

/** Placeholder: the broadcasts page is being built. */
export const broadcastsPage: ConsoleRoutes = () => {};
