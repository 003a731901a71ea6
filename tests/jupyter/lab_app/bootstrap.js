// Entry point of the test JupyterLab frontend. Before any JupyterLab module runs, it loads the
// prebuilt (federated) extensions that the server found on the labextensions path and listed
// in the page config, and lets each join the shared-module scope, so that they and the core
// use one copy of every singleton package. Then it starts the application (index.js).

/** A value of the page config that jupyterlab_server renders into index.html. */
function pageOption(name) {
  const el = document.getElementById("jupyter-config-data");
  return el ? JSON.parse(el.textContent || "{}")[name] : undefined;
}

/** Adds a script element and waits for it to run. */
function addScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.async = true;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load the federated extension ${url}`));
    script.src = url;
    document.head.appendChild(script);
  });
}

/** Loads one extension's remote entry and initialises its container with the shared scope. */
async function joinFederation(baseUrl, ext) {
  await addScript(`${baseUrl}/${ext.name}/${ext.load}`);
  await __webpack_init_sharing__("default");
  await globalThis._JUPYTERLAB[ext.name].init(__webpack_share_scopes__.default);
}

(async () => {
  const baseUrl = pageOption("fullLabextensionsUrl");
  const federated = pageOption("federated_extensions") ?? [];
  const joined = await Promise.allSettled(
    federated.map((ext) => joinFederation(baseUrl, ext)),
  );
  for (const r of joined) if (r.status === "rejected") console.error(r.reason);
  const { main } = await import("./index.js");
  if (document.readyState === "complete") await main();
  else globalThis.addEventListener("load", () => void main());
})();
