// npm `openai` (AzureOpenAI) against mockazure (clients.md §3). Prints one JSON line of outcomes.
import { AzureOpenAI } from "openai";
import { report } from "./_outcomes.mjs";

const connect = (apiVersion) =>
  new AzureOpenAI({
    endpoint: process.env.MOCKAZURE_URL,
    apiKey: process.env.MOCKAZURE_KEY,
    apiVersion,
    maxRetries: 0,
  });
const client = connect("2024-10-21");
// stream_options exists in 2024-09-01-preview/2024-10-01-preview and 2025-04-01-preview+, not in
// 2024-10-21 GA (azure-surface.md stream_options row), so the usage chunk needs a preview version.
const preview = connect("2025-04-01-preview");
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
    const stream = await preview.chat.completions.create({
      model: "gpt-4o", messages, seed: 7, stream: true, stream_options: { include_usage: true },
    });
    const pieces = [];
    const finish = [];
    let chunks = 0;
    let usage = null;
    for await (const chunk of stream) {
      chunks += 1;
      for (const choice of chunk.choices) {
        pieces.push(choice.delta?.content ?? "");
        if (choice.finish_reason) finish.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    return { chunks, content: pieces.join(""), finish_reason: finish, usage };
  },
  async embeddings() {
    // No encoding_format: the client asks for base64 and decodes float32 itself.
    const reply = await client.embeddings.create({ model: "text-embedding-3-small", input: texts });
    const vectors = reply.data.map((item) => Array.from(item.embedding));
    return {
      indexes: reply.data.map((item) => item.index),
      dims: vectors.map((v) => v.length),
      norms: vectors.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))),
      usage: reply.usage,
    };
  },
  async bad_temperature() {
    await client.chat.completions.create({ model: "gpt-4o", messages, temperature: 5 });
  },
  async missing_deployment() {
    await client.chat.completions.create({ model: "no-such-deployment", messages });
  },
};

function describe(err) {
  const chain = [];
  for (let p = Object.getPrototypeOf(err); p && p.constructor !== Object; p = Object.getPrototypeOf(p)) {
    chain.push(p.constructor.name);
  }
  return {
    type: err.constructor.name, mro: chain, message: err.message,
    status: err.status ?? null, code: err.code ?? null, param: err.param ?? null,
  };
}

await report(scenarios, describe);
