// Starts the wizard's engine worker as early as the page allows.
//
// Loaded from <head> as an async module (overrides/wizard.html), so Pyodide starts booting while
// the rest of the page is still being parsed and Material's own scripts run.  The page script
// (wizard.mjs) imports this same module (same URL, so the same instance) and takes over the
// worker's messages; any that arrive before it does are kept for it.
const version = new URL(import.meta.url).searchParams.get("v") || "";
export const worker = new Worker(new URL(`./wizard-worker.mjs?v=${version}`, import.meta.url), { type: "module" });

const early = [];
let onMessage = null;
let onError = null;
worker.onmessage = (event) => (onMessage ? onMessage(event) : early.push(["message", event]));
worker.onerror = (event) => (onError ? onError(event) : early.push(["error", event]));

export function listen(messageHandler, errorHandler) {
  onMessage = messageHandler;
  onError = errorHandler;
  for (const [kind, event] of early.splice(0)) (kind === "message" ? onMessage : onError)(event);
}
