// The Vercel AI SDK (`ai` + `@ai-sdk/azure`) on the v1 chat completions and embeddings APIs.
// URL rules (reference §4, `@ai-sdk/azure` azure-openai-provider.ts): with a baseURL that is not
// an Azure host the provider calls `{baseURL}{path}` with no api-version; with only
// `resourceName` it calls `https://{resource}.openai.azure.com/openai/v1{path}?api-version=v1`.
// The second form is driven here through a `fetch` that sends that exact URL to mockazure.
import { createAzure } from "@ai-sdk/azure";
import * as ai from "ai";
import { report } from "./_outcomes.mjs";

const { generateText, streamText, embed, embedMany } = ai;
const local = process.env.MOCKAZURE_URL;
const seen = [];
const custom = createAzure({ baseURL: `${local}/openai/v1`, apiKey: process.env.MOCKAZURE_KEY });
const byResource = createAzure({
  resourceName: "mockazure",
  apiKey: process.env.MOCKAZURE_KEY,
  fetch: (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url);
    seen.push(url.pathname + url.search);
    return fetch(local + url.pathname + url.search, init);
  },
});
const prompt = "Tell me about lighthouses";

const scenarios = {
  async chat() {
    const result = await generateText({ model: custom.chat("gpt-4o"), prompt, maxRetries: 0 });
    return { text: result.text, finishReason: result.finishReason, usage: result.usage };
  },
  async stream() {
    const result = streamText({ model: custom.chat("gpt-4o"), prompt, maxRetries: 0 });
    let joined = "";
    for await (const piece of result.textStream) joined += piece;
    return { joined, finishReason: await result.finishReason };
  },
  async embeddings() {
    const model = custom.embedding("text-embedding-3-small");
    const one = await embed({ model, value: "sunny day at the beach", maxRetries: 0 });
    const many = await embedMany({ model, values: ["a", "b", "c"], maxRetries: 0 });
    return { dims: one.embedding.length, count: many.embeddings.length };
  },
  async resource_default_urls() {
    const chat = await generateText({ model: byResource.chat("gpt-4o"), prompt, maxRetries: 0 });
    const vector = await embed({
      model: byResource.embedding("text-embedding-3-small"), value: "hello", maxRetries: 0,
    });
    return { text: chat.text, dims: vector.embedding.length, urls: seen };
  },
  async missing_deployment() {
    await generateText({ model: custom.chat("no-such-deployment"), prompt, maxRetries: 0 });
  },
};

function describe(err) {
  return {
    type: err.constructor.name, name: err.name, message: err.message,
    status: err.statusCode ?? null, body: err.responseBody ?? null,
  };
}

await report(scenarios, describe);
