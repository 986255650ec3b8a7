import type { Feature } from "../feature";
import { broadcastFeature } from "./broadcast";
import { consoleFeature } from "./console";
import { dataFeature } from "./data";
import { followFeature } from "./follow";
import { helpFeature } from "./help";
import { settingsFeature } from "./settings";
import { storiesFeature } from "./stories";
import { topicsFeature } from "./topics";

/** Every chat feature, in the order their commands appear in menus. */
export const FEATURES: readonly Feature[] = [
  storiesFeature,
  topicsFeature,
  followFeature,
  settingsFeature,
  dataFeature,
  broadcastFeature,
  consoleFeature,
  helpFeature,
];
