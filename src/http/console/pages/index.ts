import type { ConsoleRoutes } from "../plugin";
import { auditPage } from "./audit";
import { broadcastReportPage } from "./broadcast-report";
import { broadcastsPage } from "./broadcasts";
import { deliveriesPage } from "./deliveries";
import { feedsPage } from "./feeds";
import { overviewPage } from "./overview";
import { topicsPage } from "./topics";

/** Every page of the console, in the order of its navigation. */
export const CONSOLE_PAGES: readonly ConsoleRoutes[] = [
  overviewPage,
  feedsPage,
  topicsPage,
  broadcastsPage,
  broadcastReportPage,
  deliveriesPage,
  auditPage,
];
