/**
 * The Zalo sender's outcomes against the fake Zalo Bot API over HTTP: an answer is a delivery
 * only when it carries what was sent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloClient } from "../../src/adapters/zalo/client";
import { createZaloTransport } from "../../src/adapters/zalo/transport";
import type { Transport } from "../../src/delivery/transport";
import { type FakeZalo, startFakeZalo } from "../fakes/zalo-api";

const TO = { chatId: "z-no-result", chatType: "private" as const };

describe("the Zalo sender", () => {
  let zalo: FakeZalo;
  let transport: Transport;
  beforeEach(async () => {
    zalo = await startFakeZalo();
    transport = createZaloTransport(createZaloClient({ token: zalo.token, apiRoot: zalo.apiRoot }));
  });
  afterEach(() => zalo.close());

  it("takes {ok: true} without a result as a failure to try again, not as sent", async () => {
    zalo.fault(TO.chatId, { kind: "no_result" }, 1);
    const part = { kind: "text" as const, format: "plain" as const, text: "Tin nóng" };
    const first = await transport.send(TO, part);
    expect(first).toMatchObject({ kind: "transient" });
    expect(zalo.textsTo(TO.chatId)).toEqual([]);
    expect(await transport.send(TO, part)).toEqual({ kind: "sent" });
    expect(zalo.textsTo(TO.chatId)).toEqual(["Tin nóng"]);
  });

  it("takes a photo answered without a result as not sent either", async () => {
    zalo.fault(TO.chatId, { kind: "no_result" }, 1);
    const photo = {
      kind: "photo" as const,
      format: "plain" as const,
      url: "https://baolaocai.vn/anh.jpg",
      caption: "Ảnh",
    };
    expect((await transport.send(TO, photo)).kind).toBe("transient");
    expect(await transport.send(TO, photo)).toEqual({ kind: "sent" });
    expect(zalo.textsTo(TO.chatId)).toEqual(["Ảnh"]);
  });
});
