// mockazure inspector: live traffic, call detail, images and audio, stubs, faults, reset.
// Vanilla JavaScript, no build step, no network beyond this server.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
const CONFIG = JSON.parse($("#config").textContent);
const calls = new Map(); // id -> summary
let selectedId = null;

// A DOM element; strings become text nodes (never HTML), so nothing recorded can inject markup.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
  if (!response.ok) {
    const message = data && data.error ? data.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return data;
}

function toast(message, isError = false) {
  const box = $("#toast");
  box.textContent = message;
  box.className = isError ? "toast error" : "toast";
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 3500);
}

// ---- views -------------------------------------------------------------------------------

const LOADERS = { media: () => loadMedia(), stubs: () => loadRules(), jobs: () => loadJobs(),
  conversations: () => loadConversations() };

function showTab() {
  const name = (location.hash || "#traffic").slice(1).split("/")[0];
  const known = $$("main > .view").some((view) => view.id === name);
  const current = known ? name : "traffic";
  for (const view of $$("main > .view")) view.hidden = view.id !== current;
  for (const link of $$(".tabs a")) link.classList.toggle("active", link.dataset.tab === current);
  if (LOADERS[current]) LOADERS[current]().catch((err) => toast(err.message, true));
}

// ---- traffic -----------------------------------------------------------------------------

function clock(seconds) {
  const date = new Date(seconds * 1000);
  const hms = date.toLocaleTimeString([], { hour12: false });
  return `${hms}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

function statusClass(status) {
  if (status >= 500 || status === 0) return "status s5";
  if (status >= 400) return "status s4";
  if (status >= 300) return "status s3";
  return "status s2";
}

function passes(call) {
  const op = $("#f-operation").value;
  const dep = $("#f-deployment").value;
  const status = $("#f-status").value;
  if (op && (call.operation || call.path) !== op) return false;
  if (dep && call.deployment !== dep) return false;
  if (status.endsWith("xx")) return String(call.status)[0] === status[0];
  return !status || String(call.status) === status;
}

function remember(select, value) {
  if (!value || $$("option", select).some((o) => o.value === String(value))) return;
  select.append(el("option", { value }, value));
}

function addCall(call) {
  calls.set(call.id, call);
  remember($("#f-operation"), call.operation || call.path);
  remember($("#f-deployment"), call.deployment);
  remember($("#f-status"), call.status);
}

function callRow(call) {
  const tags = [call.stream ? el("span", { class: "tag" }, "stream") : null,
    call.stub ? el("span", { class: "tag stub", title: "answered by a stub" }, `stub ${call.stub}`) : null,
    call.fault ? el("span", { class: "tag fault", title: "fault injected" }, call.fault) : null];
  return el("tr", {
    "data-id": call.id,
    class: call.id === selectedId ? "selected" : "",
    tabindex: 0,
    onclick: () => openCall(call.id),
    onkeydown: (event) => { if (event.key === "Enter") openCall(call.id); },
  },
  el("td", { class: "time" }, clock(call.time)),
  el("td", {}, el("span", { class: "op" }, call.operation || `${call.method} ${call.path}`), " ", tags,
    el("small", { class: "narrow" }, [call.deployment, call.api_version, `${Math.round(call.latency_ms)} ms`]
      .filter(Boolean).join(" · "))),
  el("td", { class: "wide" }, call.deployment || ""),
  el("td", { class: "wide nowrap" }, call.api_version || ""),
  el("td", {}, el("span", { class: statusClass(call.status) }, call.status || "dropped")),
  el("td", { class: "num wide" }, Math.round(call.latency_ms)));
}

function renderCalls() {
  const rows = Array.from(calls.values()).sort((a, b) => b.id - a.id).filter(passes);
  $("#calls").replaceChildren(...rows.map(callRow));
  $("#calls-empty").hidden = rows.length > 0;
  $("#traffic-count").textContent = String(calls.size);
}

function headerTable(headers) {
  const rows = Object.entries(headers || {}).map(([k, v]) =>
    el("tr", {}, el("th", {}, k), el("td", { class: v === "***" ? "secret" : "" }, v)));
  return el("table", { class: "kv" }, el("tbody", {}, rows));
}

function pretty(value) {
  if (value === null || value === undefined) return el("p", { class: "empty" }, "(no body)");
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return el("pre", { class: "json" }, text);
}

function multipartTable(body) {
  const rows = body.parts.map((part) => el("tr", {},
    el("td", {}, part.name || ""),
    el("td", {}, part.filename || part.value || ""),
    el("td", {}, part.content_type || ""),
    el("td", { class: "num" }, `${part.size} B`)));
  return el("table", { class: "kv parts" },
    el("thead", {}, el("tr", {}, el("th", {}, "part"), el("th", {}, "file / value"),
      el("th", {}, "type"), el("th", { class: "num" }, "size"))),
    el("tbody", {}, rows));
}

// The text a stream adds up to: content per choice (chat deltas or completion text) and the
// arguments of streamed tool calls.
function joinStream(chunks) {
  const texts = new Map();
  const add = (key, piece) => { if (piece) texts.set(key, (texts.get(key) || "") + piece); };
  for (const raw of chunks) {
    let chunk;
    try { chunk = JSON.parse(raw); } catch (_) { continue; }
    for (const choice of chunk.choices || []) {
      const delta = choice.delta || {};
      add(`choice ${choice.index}`, delta.content || choice.text);
      for (const tool of delta.tool_calls || []) {
        const fn = tool.function || {};
        add(`choice ${choice.index} tool ${tool.index}`, (fn.name ? `${fn.name} ` : "") + (fn.arguments || ""));
      }
    }
  }
  return texts;
}

// A Responses API stream: the journal joins its deltas per output item (journal/typed_streams.py).
function joinTyped(typed) {
  const texts = new Map();
  for (const item of typed.output || []) texts.set(`output ${item.output_index}`, item.text);
  const final = typed.response;
  if (final) texts.set("status", final.status + (final.incomplete_details ? ` (${final.incomplete_details.reason})` : ""));
  return texts;
}

function streamView(chunks, typed) {
  const joined = typed ? joinTyped(typed) : joinStream(chunks);
  const parts = Array.from(joined, ([key, text]) =>
    el("div", { class: "joined" }, el("h5", {}, key), el("pre", {}, text)));
  const list = el("ol", { class: "chunks" }, chunks.map((chunk) => el("li", {}, el("code", {}, chunk))));
  return el("div", {},
    el("h4", {}, "Joined"), parts.length ? parts : el("p", { class: "empty" }, "(no text)"),
    el("details", { open: chunks.length <= 40 }, el("summary", {}, `${chunks.length} chunks`), list));
}

function requestBody(call) {
  const body = call.request_body;
  if (body && body.multipart) return multipartTable(body);
  return pretty(body);
}

// Image URLs carry the server's public base; load them from wherever this page came from. A
// stub may name any URL: only http(s) and relative ones are shown.
function imageSource(url) {
  const local = url.indexOf("/_mock/images/");
  if (local >= 0) return url.slice(local);
  return /^(https?:\/\/|\/)/.test(url) ? url : null;
}

async function mediaFor(call) {
  const box = el("div", { class: "thumbs" });
  const body = call.response_body || {};
  const data = body.data || (body.result && body.result.data) || []; // DALL-E 2: result.data
  if (call.operation && call.operation.startsWith("image_") && call.status === 200) {
    data.forEach((item, n) => {
      const src = item.url ? imageSource(item.url)
        : item.b64_json ? `/_mock/ui/api/images/${call.id}/${n}` : null;
      if (src) box.append(el("a", { href: src, target: "_blank" }, el("img", { src, alt: `image ${n}` })));
    });
  }
  if (call.operation === "speech" && call.status === 200) {
    const requestId = (call.response_headers || {})["x-request-id"];
    const { audio } = await api("GET", "/_mock/ui/api/audio");
    const kept = audio.find((item) => item.request_id === requestId);
    box.append(kept ? el("audio", { controls: true, src: `/_mock/ui/api/audio/${kept.id}` })
      : el("p", { class: "empty" }, "Audio no longer kept (only the last answers are)."));
  }
  if (call.operation === "realtime" && body.audio) { // the session's spoken answers, one WAV
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    const note = el("p", { class: "meta" }, `Session audio: ${seconds(body.audio.sent_ms)} sent`,
      body.audio.kept_ms < body.audio.sent_ms ? `, first ${seconds(body.audio.kept_ms)} kept` : "");
    const player = el("audio", { controls: true, preload: "metadata", class: "session-audio",
      src: `/_mock/ui/api/realtime/${call.id}/audio.wav` });
    player.addEventListener("error", () => player.replaceWith(
      el("p", { class: "empty" }, "Audio no longer kept (only the last sessions' is).")));
    box.append(el("div", {}, note, player));
  }
  return box.childNodes.length ? box : null;
}

async function openCall(id) {
  selectedId = id;
  for (const row of $$("#calls tr")) row.classList.toggle("selected", Number(row.dataset.id) === id);
  const detail = $("#detail");
  let call;
  try {
    call = await api("GET", `/_mock/journal/${id}`);
  } catch (err) {
    detail.replaceChildren(el("p", { class: "error" }, `Call ${id}: ${err.message}`));
    detail.hidden = false;
    return;
  }
  const query = new URLSearchParams(call.query).toString();
  const close = el("button", { class: "close", "aria-label": "Close", onclick: closeCall }, "×");
  detail.replaceChildren(
    el("header", {}, el("h3", {}, `${call.operation || call.path}`, " ",
      el("span", { class: statusClass(call.status) }, call.status || "dropped")), close),
    el("p", { class: "meta" }, `${clock(call.time)} · ${call.latency_ms} ms`,
      call.stub ? ` · stub ${call.stub}` : "", call.fault ? ` · fault ${call.fault}` : ""),
    el("section", {}, el("h4", {}, "Request"),
      el("p", { class: "url" }, el("code", {}, `${call.method} ${call.path}${query ? "?" + query : ""}`)),
      el("details", {}, el("summary", {}, "Headers"), headerTable(call.headers)),
      requestBody(call)),
    el("section", {}, el("h4", {}, "Response"),
      el("details", {}, el("summary", {}, "Headers"), headerTable(call.response_headers)),
      await mediaFor(call),
      call.stream_chunks ? streamView(call.stream_chunks, call.stream_joined) : pretty(call.response_body)));
  detail.hidden = false;
  detail.scrollTop = 0;
  document.body.classList.add("detail-open");
}

function closeCall() {
  selectedId = null;
  $("#detail").hidden = true;
  document.body.classList.remove("detail-open");
  for (const row of $$("#calls tr.selected")) row.classList.remove("selected");
}

function setLive(on) {
  const live = $("#live");
  live.textContent = on ? "live" : "reconnecting";
  live.classList.toggle("on", on);
}

function connect() {
  const source = new EventSource("/_mock/journal/events");
  source.addEventListener("snapshot", (event) => {
    calls.clear();
    for (const call of JSON.parse(event.data)) addCall(call);
    renderCalls();
    setLive(true);
  });
  source.addEventListener("call", (event) => {
    const call = JSON.parse(event.data);
    addCall(call);
    renderCalls();
    const mediaShown = !$("#media").hidden;
    if (mediaShown && /^(image|speech)/.test(call.operation || "")) loadMedia();
  });
  source.addEventListener("clear", () => { calls.clear(); closeCall(); renderCalls(); });
  source.onopen = () => setLive(true);
  source.onerror = () => setLive(false);
}

// ---- images and audio ----------------------------------------------------------------------

let mediaTimer = null;

async function loadMedia() {
  const [{ images }, { audio }] = await Promise.all([
    api("GET", "/_mock/ui/api/images"), api("GET", "/_mock/ui/api/audio")]);
  $("#images").replaceChildren(...images.map((card) => el("figure", { class: "card image" },
    el("div", { class: "thumbs" }, card.images.length
      ? card.images.map((src) => el("a", { href: src, target: "_blank" }, el("img", { src, alt: card.prompt, loading: "lazy" })))
      : el("div", { class: "placeholder" }, card.status)),
    el("figcaption", {}, el("span", { class: `tag op-${card.status}` }, card.status), " ",
      el("strong", {}, card.deployment || "DALL-E 2 operation"), " ", el("small", {}, clock(card.time)),
      el("p", {}, card.prompt)))));
  $("#images-empty").hidden = images.length > 0;
  $("#audio").replaceChildren(...audio.map((item) => el("div", { class: "card speech" },
    el("p", {}, el("strong", {}, item.deployment), " ", el("span", { class: "tag" }, item.voice),
      " ", el("span", { class: "tag" }, item.format), " ", el("small", {}, `${clock(item.time)} · ${item.size} B`)),
    el("p", { class: "quote" }, item.input),
    el("audio", { controls: true, preload: "none", src: `/_mock/ui/api/audio/${item.id}` }))));
  $("#audio-empty").hidden = audio.length > 0;
  clearTimeout(mediaTimer);
  if (images.some((card) => card.status === "notRunning" || card.status === "running")) {
    mediaTimer = setTimeout(() => { if (!$("#media").hidden) loadMedia(); }, 1000);
  }
}

// ---- batches and videos --------------------------------------------------------------------

let jobsTimer = null;
const RUNNING = ["validating", "in_progress", "finalizing", "cancelling", "queued", "running"];

function progressBar(percent) {
  return el("progress", { max: "100", value: String(percent), title: `${percent}%` });
}

async function loadJobs() {
  const { batches, videos } = await api("GET", "/_mock/ui/api/jobs");
  $("#batches").replaceChildren(...batches.map((b) => el("tr", {},
    el("td", {}, el("code", {}, b.id)), el("td", {}, el("span", { class: "tag" }, b.status)),
    el("td", {}, b.endpoint), el("td", { class: "num" }, String(b.total)),
    el("td", { class: "num" }, String(b.completed)), el("td", { class: "num" }, String(b.failed)),
    el("td", {}, progressBar(b.percent)))));
  $("#batches-empty").hidden = batches.length > 0;
  $("#videos").replaceChildren(...videos.map((v) => el("tr", {},
    el("td", {}, el("code", {}, v.id)), el("td", {}, v.kind),
    el("td", {}, el("span", { class: "tag" }, v.status)), el("td", {}, v.size),
    el("td", { class: "num" }, String(v.seconds)), el("td", {}, progressBar(v.percent)),
    el("td", {}, v.prompt))));
  $("#videos-empty").hidden = videos.length > 0;
  clearTimeout(jobsTimer);
  if ([...batches, ...videos].some((job) => RUNNING.includes(job.status))) {
    jobsTimer = setTimeout(() => { if (!$("#jobs").hidden) loadJobs(); }, 1000);
  }
}

// ---- stored conversations (Responses chained by previous_response_id) ----------------------

let conversationsTimer = null;

function itemLine(item) {
  const who = item.role || item.type;
  return el("li", { class: `item item-${item.type}` }, el("span", { class: "tag" }, who), " ", item.text || "");
}

function usageLine(usage) {
  if (!usage) return null;
  return `${usage.input_tokens} in · ${usage.output_tokens} out · ${usage.total_tokens} total`;
}

function turnCard(turn, number) {
  const status = turn.status === "completed" ? "op-succeeded"
    : ["failed", "cancelled", "incomplete"].includes(turn.status) ? "op-failed" : "op-running";
  return el("li", { class: "card turn", "data-id": turn.id },
    el("header", {}, el("strong", {}, `#${number}`), " ", el("span", { class: `tag ${status}` }, turn.status),
      " ", el("span", { class: "op" }, turn.deployment), turn.model !== turn.deployment ? ` (${turn.model})` : "",
      " ", el("small", {}, clock(turn.created_at)), " ", el("code", {}, turn.id),
      turn.background ? [" ", el("span", { class: "tag" }, "background")] : null),
    turn.instructions ? el("p", { class: "hint" }, "instructions: ", turn.instructions) : null,
    el("h5", {}, "input"), el("ul", { class: "items" }, turn.input.map(itemLine)),
    el("h5", {}, "output"),
    turn.output_text ? el("div", { class: "reply", "data-output": "" }, turn.output_text) : null,
    el("ul", { class: "items" }, turn.output.filter((item) => item.type !== "message").map(itemLine)),
    turn.usage ? el("p", { class: "hint", "data-usage": "" }, usageLine(turn.usage)) : null);
}

async function loadConversations() {
  const { conversations, total } = await api("GET", "/_mock/ui/api/conversations");
  $("#conversation-list").replaceChildren(...conversations.map((chain) => el("article",
    { class: "card chain", "data-id": chain.id },
    el("header", {}, el("h3", {}, el("code", {}, chain.id)), " ",
      el("span", { class: "tag", "data-turns": "" }, `${chain.turns} turn${chain.turns === 1 ? "" : "s"}`), " ",
      el("small", {}, `last ${clock(chain.updated_at)}`)),
    el("ol", { class: "chain-turns" }, chain.items.map((turn, n) => turnCard(turn, n + 1))))));
  $("#conversations-empty").hidden = conversations.length > 0;
  $("#conversations-total").textContent = total > conversations.length
    ? `the newest ${conversations.length} of ${total}` : "";
  clearTimeout(conversationsTimer);
  if (conversations.some((chain) => chain.items.some((turn) => RUNNING.includes(turn.status)))) {
    conversationsTimer = setTimeout(() => {
      if (!$("#conversations").hidden) loadConversations();
    }, 1000);
  }
}

// ---- stubs and faults ----------------------------------------------------------------------

function compact(value) { return JSON.stringify(value); }

function ruleItem(title, tags, lines, onRemove) {
  return el("li", { class: "card rule" },
    el("header", {}, el("strong", {}, title), " ", tags,
      onRemove ? el("button", { class: "remove", onclick: onRemove, title: "remove" }, "Remove") : null),
    lines.map(([label, value]) => el("p", {}, el("span", { class: "label" }, label), " ", el("code", {}, value))));
}

async function loadRules() {
  const [{ stubs }, { faults }] = await Promise.all([api("GET", "/_mock/stubs"), api("GET", "/_mock/faults")]);
  $("#stub-list").replaceChildren(...stubs.map((stub) => ruleItem(stub.id,
    [el("span", { class: "tag" }, stub.source), " ", el("span", { class: "tag" },
      `fired ${stub.hits}${stub.times ? " / " + stub.times : ""}`)],
    [["match", compact(stub.match || {})], ["answer", compact(stub.responses || stub.fault || {})]],
    stub.source === "runtime" ? () => removeStub(stub.id) : null)));
  $("#stubs-empty").hidden = stubs.length > 0;
  $("#fault-list").replaceChildren(...faults.map((fault, n) => ruleItem(fault.kind,
    [el("span", { class: "tag" }, `p=${fault.probability ?? 1}`)],
    [["fault", compact(fault)]], () => removeFault(n))));
  $("#faults-empty").hidden = faults.length > 0;
}

async function removeStub(id) {
  await api("DELETE", `/_mock/stubs/${encodeURIComponent(id)}`);
  toast(`Stub ${id} removed`);
  await loadRules();
}

async function removeFault(index) {
  const { faults } = await api("GET", "/_mock/faults");
  faults.splice(index, 1);
  if (faults.length) await api("PUT", "/_mock/faults", faults);
  else await api("DELETE", "/_mock/faults");
  toast("Fault removed");
  await loadRules();
}

function stubFromForm(form) {
  const f = Object.fromEntries(new FormData(form));
  if (f.json.trim()) return JSON.parse(f.json);
  const match = {};
  if (f.operation) match.operation = f.operation;
  if (f.deployment) match.deployment = f.deployment;
  if (f.contains) match.contains = f.contains;
  const response = {};
  if (f.error_status) {
    response.error = { status: Number(f.error_status) };
    if (f.error_message) response.error.message = f.error_message;
  } else {
    response.content = f.content || "Hello from a mockazure stub!";
  }
  const rule = { match, response };
  if (f.times) rule.times = Number(f.times);
  return rule;
}

const FAULT_VALUE = { error: ["status", "Status"], throttle: ["retry_after_ms", "Retry after (ms)"],
  latency: ["latency_ms", "Latency (ms)"], cut: ["after_chunks", "After chunks"],
  malformed: ["after_chunks", "After chunks"], drop: [null, "(no value)"] };

function faultFromForm(form) {
  const f = Object.fromEntries(new FormData(form));
  const fault = { kind: f.kind };
  const [field] = FAULT_VALUE[f.kind];
  if (field && f.value !== "") fault[field] = Number(f.value);
  if (f.probability !== "" && Number(f.probability) !== 1) fault.probability = Number(f.probability);
  for (const name of ["operation", "deployment", "message"]) if (f[name]) fault[name] = f[name];
  return fault;
}

async function submitted(event, action) {
  event.preventDefault();
  const form = event.target;
  const error = $("[data-error]", form);
  error.hidden = true;
  try {
    await action(form);
    form.reset();
    await loadRules();
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  }
}

// ---- wiring ------------------------------------------------------------------------------

function wire() {
  window.addEventListener("hashchange", showTab);
  for (const id of ["#f-operation", "#f-deployment", "#f-status"]) $(id).addEventListener("change", renderCalls);
  $("#clear-journal").addEventListener("click", async () => {
    await api("DELETE", "/_mock/journal");
    toast("Journal cleared");
  });
  $("#reset").addEventListener("click", async () => {
    if (!confirm("Reset the server: journal, run-time stubs and deployments, faults, images?")) return;
    await api("POST", "/_mock/reset");
    toast("Server reset");
    showTab();
  });
  $("[data-refresh=media]").addEventListener("click", () => loadMedia());
  $("[data-refresh=jobs]").addEventListener("click", () => loadJobs());
  $("[data-refresh=conversations]").addEventListener("click", () => loadConversations());
  $("#stub-form").addEventListener("submit", (event) => submitted(event, async (form) => {
    const { stubs } = await api("POST", "/_mock/stubs", stubFromForm(form));
    toast(`Stub ${stubs.map((s) => s.id).join(", ")} added`);
  }));
  $("#fault-form").addEventListener("submit", (event) => submitted(event, async (form) => {
    const { faults } = await api("GET", "/_mock/faults");
    await api("PUT", "/_mock/faults", [...faults, faultFromForm(form)]);
    toast("Fault added");
  }));
  const kind = $("#fault-form [name=kind]");
  kind.addEventListener("change", () => {
    $("[data-fault-value-label]").textContent = FAULT_VALUE[kind.value][1];
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeCall(); });
}

wire();
showTab();
connect();
window.mockazure = { api, el, toast, imageSource, CONFIG };
