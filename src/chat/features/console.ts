/** /admin: an editor asks for a one-time link that signs them in to the web console. */
import { SIGN_IN_LINK_MINUTES } from "../../editors/console-sessions";
import { bold } from "../../message/model";
import { type Feature, say } from "../feature";

export const consoleFeature: Feature = {
  commands: [
    {
      name: "admin",
      slash: ["admin", "quantri"],
      run: async (ctx) => {
        const { t } = ctx;
        if (!ctx.fromEditor) return [say(t.broadcastNotAdmin)];
        // A link that signs in must not be seen by a whole group.
        if (ctx.chat.chatType !== "private") return [say(t.consolePrivateOnly)];
        const base = ctx.deps.consoleUrl?.();
        const access = ctx.deps.consoleAccess;
        if (!base || !access) return [say(t.consoleUnavailable)];
        const token = await access.signInLink(
          ctx.chat.platform,
          ctx.chat.user.id,
          ctx.chat.user.name,
        );
        if (!token) return [say(t.broadcastNotAdmin)];
        const url = `${base}/admin/login/${token}`;
        return [
          {
            type: "send",
            message: {
              lines: [[bold(t.consoleLinkTitle)], [url], [t.consoleLinkHint(SIGN_IN_LINK_MINUTES)]],
            },
          },
        ];
      },
    },
  ],
  actions: {},
};
