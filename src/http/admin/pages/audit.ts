import type { ConsoleRoutes } from "../plugin";

/** Placeholder: the audit page is being built. */
export const auditPage: ConsoleRoutes = () => {};
