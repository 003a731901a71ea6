// The test frontend's main(): registers the core plugins bundled in this app (the table that
// build.cjs generates from package.json) and those of the federated extensions that
// bootstrap.js loaded, then starts JupyterLab. Imported only after the shared scope is set up.
import { PageConfig } from "@jupyterlab/coreutils";
import { PluginRegistry } from "@lumino/coreutils";
import { IConnectionStatus, JupyterLab } from "@jupyterlab/application";
import { IServiceManager } from "@jupyterlab/services";
import { coreExtensions, coreMimeExtensions } from "./extensions.gen.js";
import "./style.js";

/** A module's plugins: its default export (one plugin or an array) or the module itself. */
function pluginsOf(mod) {
  const exported = mod && "default" in mod ? mod.default : mod;
  return Array.isArray(exported) ? exported : [exported];
}

/** A module exposed by a federated extension's container. */
async function federatedModule(scope, module) {
  const factory = await globalThis._JUPYTERLAB[scope].get(module);
  return factory();
}

export async function main() {
  const federated = JSON.parse(
    PageConfig.getOption("federated_extensions") || "[]",
  );
  const federatedNames = new Set(federated.map((e) => e.name));
  const disabled = [];
  const deferred = [];
  const available = [];

  /** Keeps the enabled plugins of `mod`, noting disabled and deferred ones. */
  const accept = (mod, scope, into) => {
    for (const plugin of pluginsOf(mod)) {
      const off = PageConfig.Extension.isDisabled(plugin.id);
      available.push({
        id: plugin.id,
        description: plugin.description,
        requires: plugin.requires ?? [],
        optional: plugin.optional ?? [],
        provides: plugin.provides ?? null,
        autoStart: plugin.autoStart,
        enabled: !off,
        extension: scope,
      });
      if (off) {
        disabled.push(plugin.id);
        continue;
      }
      if (PageConfig.Extension.isDeferred(plugin.id)) deferred.push(plugin.id);
      into.push(plugin);
    }
  };

  /** Core modules (skipped when a federated extension of the same name replaces them). */
  const loadCore = async (table, into) => {
    for (const [name, load] of table) {
      if (federatedNames.has(name)) continue;
      try {
        accept(await load(), name, into);
      } catch (e) {
        console.error(`cannot load ${name}`, e);
      }
    }
  };
  /** Federated modules of one kind ("extension" or "mimeExtension"). */
  const loadFederated = async (kind, into) => {
    const wanted = federated.filter((e) => e[kind]);
    const mods = await Promise.allSettled(
      wanted.map((e) => federatedModule(e.name, e[kind])),
    );
    mods.forEach((r, i) => {
      if (r.status === "fulfilled") accept(r.value, wanted[i].name, into);
      else console.error(`cannot load ${wanted[i].name} ${kind}`, r.reason);
    });
  };

  const mimeExtensions = [];
  await loadCore(coreMimeExtensions, mimeExtensions);
  await loadFederated("mimeExtension", mimeExtensions);
  const plugins = [];
  await loadCore(coreExtensions, plugins);
  await loadFederated("extension", plugins);
  const styles = federated.filter((e) => e.style && !PageConfig.Extension.isDisabled(e.name));
  for (
    const r of await Promise.allSettled(
      styles.map((e) => federatedModule(e.name, e.style)),
    )
  ) {
    if (r.status === "rejected") console.error(r.reason);
  }

  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const lab = new JupyterLab({
    pluginRegistry,
    mimeExtensions,
    serviceManager: await pluginRegistry.resolveOptionalService(
      IServiceManager,
    ),
    connectionStatus: await pluginRegistry.resolveOptionalService(
      IConnectionStatus,
    ),
    disabled: {
      matches: disabled,
      patterns: PageConfig.Extension.disabled.map((v) => v.raw),
    },
    deferred: {
      matches: deferred,
      patterns: PageConfig.Extension.deferred.map((v) => v.raw),
    },
    availablePlugins: available,
  });
  await lab.start({ ignorePlugins: deferred, bubblingKeydown: true });
  if (
    (PageConfig.getOption("exposeAppInBrowser") || "").toLowerCase() === "true"
  ) {
    globalThis.jupyterapp = lab;
  }
}
