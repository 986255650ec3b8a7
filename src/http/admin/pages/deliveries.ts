import type { ConsoleRoutes } from "../plugin";

/** Placeholder: the deliveries page is being built. */
export const deliveriesPage: ConsoleRoutes = () => {};
