// mockazure playground: chat (streamed as it arrives), a stored conversation over the Responses
// API (`/openai/v1/responses`, chained with previous_response_id), embeddings, images and
// speech, sent from the page through the same Azure paths a client uses (so they appear in the
// traffic view).
"use strict";

(() => {
  const { el, imageSource, CONFIG } = window.mockazure;
  const $ = (selector, root = document) => root.querySelector(selector);
  const PREFERRED = { chat: "gpt-4o", embeddings: "text-embedding-3-small", images: "dall-e-3", speech: "tts" };

  function fillDeployments() {
    for (const form of document.querySelectorAll("form.play")) {
      const capability = form.dataset.capability;
      const select = $("[name=deployment]", form);
      const names = CONFIG.deployments.filter((d) => d.capability === capability).map((d) => d.name);
      select.replaceChildren(...names.map((name) => el("option", { value: name }, name)));
      if (names.includes(PREFERRED[capability])) select.value = PREFERRED[capability];
    }
  }

  function choose(kind) {
    for (const button of document.querySelectorAll("[data-play]")) {
      button.classList.toggle("on", button.dataset.play === kind);
    }
    for (const form of document.querySelectorAll("form.play")) form.hidden = form.id !== `play-${kind}`;
  }

  // POST to an Azure path; resolves to the Response, or throws with Azure's error message.
  async function azure(form, operation, body) {
    const fields = new FormData(form);
    const deployment = encodeURIComponent(fields.get("deployment"));
    const version = encodeURIComponent(fields.get("api_version"));
    return post(`/openai/deployments/${deployment}/${operation}?api-version=${version}`, body);
  }

  async function post(path, body) {
    const key = $("#api-key").value.trim();
    if (!key) throw new Error("Type an api-key: this server accepts only the keys given to --api-key.");
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "api-key": key },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try {
        const data = await response.json();
        if (data.error) message = `${response.status} ${data.error.code || ""}: ${data.error.message}`;
      } catch (_) { /* no JSON body */ }
      throw new Error(message);
    }
    return response;
  }

  function meta(form, ...parts) {
    $("[data-meta]", form).replaceChildren(...parts.filter(Boolean).map((p) => el("span", {}, p)));
  }

  // Read an SSE body as it arrives: `data:` payloads, until `[DONE]`.
  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      const blocks = pending.split("\n\n");
      pending = blocks.pop();
      for (const block of blocks) {
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (data === "[DONE]") return;
        if (data) yield JSON.parse(data);
      }
    }
  }

  async function chat(form) {
    const fields = new FormData(form);
    const messages = [];
    if (fields.get("system")) messages.push({ role: "system", content: fields.get("system") });
    messages.push({ role: "user", content: fields.get("user") });
    const stream = fields.get("stream") === "on";
    const reply = $("[data-reply]", form);
    reply.textContent = "";
    form.dataset.state = "running";
    const response = await azure(form, "chat/completions", { messages, stream });
    const requestId = response.headers.get("x-request-id");
    if (!stream) {
      const data = await response.json();
      const choice = data.choices[0];
      reply.textContent = choice.message.content || JSON.stringify(choice.message.tool_calls, null, 2);
      meta(form, `finish: ${choice.finish_reason}`, `tokens ${data.usage.prompt_tokens} + ${data.usage.completion_tokens}`, requestId);
      return;
    }
    let chunks = 0;
    let finish = null;
    for await (const chunk of events(response)) {
      chunks += 1;
      for (const choice of chunk.choices || []) {
        if (choice.delta && choice.delta.content) reply.textContent += choice.delta.content;
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (chunk.error) throw new Error(chunk.error.message);
      meta(form, `${chunks} chunks`, finish && `finish: ${finish}`, requestId);
    }
  }

  // The Responses API: typed events (`data` carries `type`); the text is the output_text deltas.
  async function respond(form) {
    const fields = new FormData(form);
    const stream = fields.get("stream") === "on";
    const body = { model: fields.get("deployment"), input: fields.get("input"), stream };
    if (fields.get("instructions")) body.instructions = fields.get("instructions");
    const previous = fields.get("chain") === "on" ? form.dataset.previous : "";
    if (previous) body.previous_response_id = previous;
    const reply = $("[data-reply]", form);
    reply.textContent = "";
    const response = await post("/openai/v1/responses", body);
    const requestId = response.headers.get("x-request-id");
    let final = null;
    if (!stream) {
      final = await response.json();
      reply.textContent = outputText(final);
    } else {
      let count = 0;
      for await (const event of events(response)) {
        count += 1;
        if (event.type === "response.output_text.delta") reply.textContent += event.delta;
        if (event.type === "error") throw new Error(event.message);
        if (/^response\.(completed|incomplete|failed)$/.test(event.type)) final = event.response;
        meta(form, `${count} events`, requestId);
      }
    }
    if (!final) return;
    form.dataset.previous = final.id;
    $("[data-turns]", form).append(el("li", {}, el("b", {}, "you: "), fields.get("input")),
      el("li", {}, el("b", {}, "assistant: "), outputText(final)));
    meta(form, `status: ${final.status}`, final.usage && `tokens ${final.usage.input_tokens} + ${final.usage.output_tokens}`, final.id, requestId);
  }

  function outputText(response) {
    const parts = (response.output || []).filter((item) => item.type === "message").flatMap((item) => item.content || []);
    return parts.map((part) => part.text || part.refusal || "").join("");
  }

  async function embed(form) {
    const fields = new FormData(form);
    const data = await (await azure(form, "embeddings", { input: fields.get("input") })).json();
    const vector = data.data[0].embedding;
    meta(form, `${vector.length} dimensions`, `${data.usage.prompt_tokens} tokens`);
    $("[data-reply]", form).textContent = `[${vector.slice(0, 8).map((x) => x.toFixed(6)).join(", ")}, …]`;
  }

  async function image(form) {
    const fields = new FormData(form);
    const body = { prompt: fields.get("prompt"), size: fields.get("size"), n: 1 };
    const data = await (await azure(form, "images/generations", body)).json();
    const item = data.data[0];
    const src = item.url ? imageSource(item.url) : `data:image/png;base64,${item.b64_json}`;
    $("[data-reply]", form).replaceChildren(el("img", { src, alt: fields.get("prompt") }));
    meta(form, item.revised_prompt && `revised: ${item.revised_prompt}`);
  }

  async function speech(form) {
    const fields = new FormData(form);
    const body = { input: fields.get("input"), voice: fields.get("voice"), response_format: fields.get("response_format") };
    const blob = await (await azure(form, "audio/speech", body)).blob();
    const url = URL.createObjectURL(blob);
    $("[data-reply]", form).replaceChildren(el("audio", { controls: true, src: url }),
      el("a", { href: url, download: `speech.${fields.get("response_format")}` }, "download"));
    meta(form, `${blob.type}`, `${blob.size} bytes`);
  }

  const ACTIONS = { "play-chat": chat, "play-responses": respond, "play-embedding": embed, "play-image": image, "play-speech": speech };

  for (const form of document.querySelectorAll("form.play")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = $("button[type=submit]", form);
      button.disabled = true;
      form.dataset.state = "running";
      meta(form, "sending…");
      try {
        await ACTIONS[form.id](form);
        form.dataset.state = "done";
      } catch (err) {
        form.dataset.state = "error";
        meta(form, el("span", { class: "error" }, err.message));
      } finally {
        button.disabled = false;
      }
    });
  }
  for (const button of document.querySelectorAll("[data-play]")) {
    button.addEventListener("click", () => choose(button.dataset.play));
  }
  const key = $("#api-key");
  if (key.type === "password") {
    key.value = sessionStorage.getItem("mockazure-api-key") || "";
    key.addEventListener("change", () => sessionStorage.setItem("mockazure-api-key", key.value));
  }
  fillDeployments();
})();
