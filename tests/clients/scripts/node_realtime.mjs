// npm `openai`'s OpenAIRealtimeWS (the `ws` transport) against mockazure's Realtime API.
// The SDK always connects with wss://, so the server runs TLS here and node trusts its
// self-signed certificate through NODE_EXTRA_CA_CERTS. Prints one JSON line of outcomes.
import OpenAI, { AzureOpenAI } from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { report } from "./_outcomes.mjs";

const url = process.env.MOCKAZURE_URL;
const apiKey = process.env.MOCKAZURE_KEY;

function converse(rt, text) {
  return new Promise((resolve, reject) => {
    const events = [];
    const timer = setTimeout(() => reject(new Error("no response.done in 60 s")), 60_000);
    rt.on("event", (event) => {
      events.push(event);
      if (event.type === "session.created") {
        rt.send({
          type: "conversation.item.create",
          item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
        });
        rt.send({ type: "response.create" });
      }
      if (event.type === "response.done") {
        clearTimeout(timer);
        rt.close();
        resolve(events);
      }
    });
    rt.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function summary(events) {
  const of = (type) => events.filter((e) => e.type === type);
  const audio = of("response.output_audio.delta").map((e) => Buffer.from(e.delta, "base64"));
  return {
    types: [...new Set(events.map((e) => e.type))],
    session_model: of("session.created")[0]?.session?.model,
    transcript: of("response.output_audio_transcript.delta").map((e) => e.delta).join(""),
    transcript_done: of("response.output_audio_transcript.done")[0]?.transcript,
    audio_bytes: audio.reduce((n, b) => n + b.length, 0),
    status: of("response.done")[0]?.response?.status,
  };
}

const scenarios = {
  async ga() {
    const client = new OpenAI({ baseURL: `${url}/openai/v1`, apiKey });
    const rt = new OpenAIRealtimeWS({ model: "gpt-realtime" }, client);
    return summary(await converse(rt, "Tell me about Vienna."));
  },
  async azure() {
    const client = new AzureOpenAI({ endpoint: url, apiKey, apiVersion: "2025-04-01-preview" });
    const rt = await OpenAIRealtimeWS.azure(client, { deploymentName: "gpt-realtime-mini" });
    return summary(await converse(rt, "Tell me about Oslo."));
  },
};

await report(scenarios, (err) => ({ type: err?.constructor?.name, message: String(err?.message ?? err) }));
