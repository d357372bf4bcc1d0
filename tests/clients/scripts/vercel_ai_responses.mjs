// The Vercel AI SDK (`ai` + `@ai-sdk/azure`) against mockazure: `azure(deployment)` is the
// Responses API. With a baseURL that is not *.openai.azure.com the provider calls
// `{baseURL}{path}` (reference §4), so baseURL is `<url>/openai/v1`.
import { createAzure } from "@ai-sdk/azure";
import * as ai from "ai";
import { z } from "zod";
import { report } from "./_outcomes.mjs";

const { generateText, streamText, tool, stepCountIs } = ai;
const azure = createAzure({
  baseURL: process.env.MOCKAZURE_URL + "/openai/v1",
  apiKey: process.env.MOCKAZURE_KEY,
});
const model = azure("gpt-4o");
const weather = tool({
  description: "Get the current weather for a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, forecast: "sunny", temperature: 23 }),
});

const scenarios = {
  async generate() {
    const result = await generateText({ model, prompt: "Tell me about lighthouses", maxRetries: 0 });
    return { text: result.text, finishReason: result.finishReason, usage: result.usage };
  },
  async stream() {
    const result = streamText({ model, prompt: "Tell me about lighthouses", maxRetries: 0 });
    let joined = "";
    for await (const piece of result.textStream) joined += piece;
    return { joined, text: await result.text, finishReason: await result.finishReason };
  },
  async tools() {
    const result = await generateText({
      model,
      prompt: "What is the weather in Lisbon?",
      tools: { weather },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    });
    return {
      steps: result.steps.length,
      toolCalls: result.steps.flatMap((s) => s.toolCalls.map((c) => c.toolName)),
      text: result.text,
    };
  },
  async object() {
    const schema = z.object({ name: z.string(), age: z.number().int() });
    if (typeof ai.generateObject === "function") {
      const result = await ai.generateObject({ model, schema, prompt: "Invent a person", maxRetries: 0 });
      return { object: result.object, valid: schema.safeParse(result.object).success };
    }
    const result = await generateText({
      model, prompt: "Invent a person", output: ai.Output.object({ schema }), maxRetries: 0,
    });
    return { object: result.output, valid: schema.safeParse(result.output).success };
  },
};

function describe(err) {
  return { type: err?.constructor?.name, message: String(err?.message ?? err),
    status: err?.statusCode ?? null, body: err?.responseBody ?? null, url: err?.url ?? null };
}

await report(scenarios, describe);
