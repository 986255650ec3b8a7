/** /admin: an editor asks for a one-time link that signs them in to the web console. */
import { createSignInLink, SIGN_IN_LINK_MINUTES } from "../../editors/console-sessions";
import { bold } from "../../message/model";
import { type Feature, type FeatureContext, say } from "../feature";

function isAdmin(ctx: FeatureContext): boolean {
  const { platform, user } = ctx.chat;
  return (ctx.deps.admins ?? []).some((a) => a.platform === platform && a.userId === user.id);
}

export const consoleFeature: Feature = {
  commands: [
    {
      name: "admin",
      slash: ["admin", "quantri"],
      run: async (ctx) => {
        const { t } = ctx;
        if (!isAdmin(ctx)) return [say(t.broadcastNotAdmin)];
        // A link that signs in must not be seen by a whole group.
        if (ctx.chat.chatType !== "private") return [say(t.consolePrivateOnly)];
        const base = ctx.deps.consoleUrl?.();
        if (!base) return [say(t.consoleUnavailable)];
        const token = await createSignInLink(
          ctx.deps.db,
          `${ctx.chat.platform}:${ctx.chat.user.id}`,
          ctx.now(),
        );
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
