// npm `openai` on the v1 API: plain `new OpenAI({ baseURL: <endpoint>/openai/v1/ })`, the
// deployment as `model` (azure-v1-and-responses.md §2). Prints one JSON line of outcomes.
import OpenAI from "openai";
import { report } from "./_outcomes.mjs";

const connect = (options = {}) =>
  new OpenAI({
    baseURL: `${process.env.MOCKAZURE_URL}/openai/v1/`,
    apiKey: process.env.MOCKAZURE_KEY,
    maxRetries: 0,
    ...options,
  });
const client = connect();
const messages = [{ role: "user", content: "Explain photosynthesis briefly." }];
const texts = ["The cat sat on the mat.", "Stock markets fell sharply today."];

const scenarios = {
  async chat() {
    const reply = await client.chat.completions.create({ model: "gpt-4o", messages, seed: 7 });
    return {
      object: reply.object,
      content: reply.choices[0].message.content,
      finish_reason: reply.choices[0].finish_reason,
      usage: reply.usage,
      prompt_filter_results: reply.prompt_filter_results,
    };
  },
  async stream() {
    const stream = await client.chat.completions.create({
      model: "gpt-4o", messages, seed: 7, stream: true, stream_options: { include_usage: true },
    });
    const pieces = [];
    let usage = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) pieces.push(choice.delta?.content ?? "");
      if (chunk.usage) usage = chunk.usage;
    }
    return { content: pieces.join(""), usage };
  },
  async embeddings() {
    // No encoding_format: the client asks for base64 and decodes float32 itself.
    const reply = await client.embeddings.create({ model: "text-embedding-3-small", input: texts });
    const vectors = reply.data.map((item) => Array.from(item.embedding));
    return {
      indexes: reply.data.map((item) => item.index),
      dims: vectors.map((v) => v.length),
      norms: vectors.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))),
    };
  },
  async models() {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return { ids };
  },
  async preview() {
    const reply = await connect({ defaultQuery: { "api-version": "preview" } }).chat.completions
      .create({ model: "gpt-4o", messages, seed: 7 });
    return { content: reply.choices[0].message.content };
  },
  async dated_version() {
    await connect({ defaultQuery: { "api-version": "2024-10-21" } }).models.list();
  },
  async missing_deployment() {
    await client.chat.completions.create({ model: "no-such-deployment", messages });
  },
};

function describe(err) {
  return {
    type: err.constructor.name, message: err.message,
    status: err.status ?? null, code: err.code ?? null, param: err.param ?? null,
  };
}

await report(scenarios, describe);
