/** /help: the commands, in the reader's language. */
import { bold } from "../../message/model";
import { type Feature, send } from "../feature";

export const helpFeature: Feature = {
  commands: [
    {
      name: "help",
      slash: ["help", "trogiup", "huongdan"],
      keywords: [
        { words: "tro giup", accepts: (a) => a === "" },
        { words: "huong dan", accepts: (a) => a === "" },
        { words: "help", accepts: (a) => a === "" },
      ],
      menu: { vi: "trogiup", en: "help" },
      run: async ({ t }) => [send({ lines: [[bold(t.commands.help)], ...t.help.map((h) => [h])] })],
    },
  ],
  actions: {
    noop: { run: async () => [{ type: "notice", text: "" }] },
  },
};
