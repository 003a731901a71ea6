/**
 * The browser layer of the Jupyter tests: a real JupyterLab 4 frontend (built from npm packages,
 * tests/jupyter/lab_app/), served by Debian's jupyter_server + jupyterlab_server with our prebuilt
 * extension loaded from the labextensions path, driven by playwright-core in Debian's Chromium.
 * It opens a notebook, runs its cells one by one in the Deno kernel, and checks that our
 * renderer (not the HTML fallback) drew the tree, that groups collapse and expand, that "N
 * more..." pages in members, that the copy-path button and commands work, and that the tree
 * reads well in the light and dark themes. Screenshots go to tests/artifacts/.
 *
 * Missing Chromium / jupyter_server / jupyterlab_server / node / npm fail the test under CI=true
 * and skip it (with a printed reason) otherwise.
 */
import assert, { deepStrictEqual as assertEquals } from "node:assert";
import { ensureExtension, ensureLabApp } from "./lab_app/ensure.ts";
import { labPrerequisites, LabSession, type Page } from "./lab_app/session.ts";

const ROOT = new URL("../../", import.meta.url);
const MOD = new URL("mod.ts", ROOT).href;
const ARTIFACTS = new URL("tests/artifacts/", ROOT).pathname;
const CI = Deno.env.get("CI") === "true";
const TREE_MIME = "application/vnd.zarr.tree+json";
const NOTEBOOK = "zarr-tree.ipynb";
/** Server noise that JupyterLab 4.6 meets with jupyter_server 1.23 (no such endpoints). */
const KNOWN_404 = /api\/me|events\/subscribe|lsp\/status|Failed to load resource/;

const CELLS = [
  `import * as zarr from "${MOD}";
const g = await zarr.group({ attributes: { title: "browser test" } });
const a = await g.createGroup("a", { attributes: { units: "m" } });
const x = await a.createArray("x", { shape: [20], dtype: "float64", chunks: [5] });
await x.setitem(null, Float64Array.from({ length: 20 }, (_, i) => i * i));
await (await a.createGroup("deep")).createGroup("deeper");
const many = await g.createGroup("many");
for (let i = 0; i < 60; i++) {
  await many.createArray(\`v\${String(i).padStart(2, "0")}\`, { shape: [4], dtype: "int16" });
}
await g.createArray("m", { shape: [8, 8], dtype: "int32", chunks: [4, 4] });
"ready"`,
  `await zarr.tree(g)`,
  `g`,
];

const missing = await labPrerequisites();
if (missing && !CI) console.log(`SKIP jupyterlab browser test: ${missing}`);

/** The n-th cell of the open notebook. */
const cell = (page: Page, n: number) => page.locator(".jp-Notebook .jp-Cell").nth(n);
/** A tree row by node path inside the n-th cell's output. */
const row = (page: Page, n: number, path: string) =>
  cell(page, n).locator(`li[data-zarr-path="${path}"] > .jp-ZarrTree-row`);

/** Runs the n-th cell with Shift+Enter from command mode and waits for its execution count. */
async function runCell(page: Page, n: number): Promise<void> {
  await cell(page, n).locator(".jp-InputPrompt").click();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Enter");
  const prompt = `document.querySelectorAll(".jp-Notebook .jp-Cell")[${n}]` +
    `?.querySelector(".jp-InputPrompt")?.textContent ?? ""`;
  await page.waitForFunction(`/\\[\\d+\\]/.test(${prompt})`, null, {
    timeout: 120_000,
  });
}

/** Relative luminance (0..1) of a CSS rgb()/rgba() color. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ["0", "0", "0"]).slice(0, 3).map(
    Number,
  );
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** Computed colors of the tree in the first tree output: text and the output's background. */
async function treeColors(
  page: Page,
): Promise<{ name: string; background: string }> {
  return await page.evaluate(`(() => {
    const name = document.querySelector(".jp-ZarrTree .jp-ZarrTree-name");
    let bg = "rgba(0, 0, 0, 0)";
    for (let e = name; e; e = e.parentElement) {
      bg = getComputedStyle(e).backgroundColor;
      if (!/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) break;
    }
    return { name: getComputedStyle(name).color, background: bg };
  })()`);
}

/** Runs a JupyterLab command through the app the page exposes (exposeAppInBrowser). */
async function command(
  page: Page,
  id: string,
  args: Record<string, unknown> = {},
) {
  return await page.evaluate(
    ([id, args]) =>
      (globalThis as unknown as {
        jupyterapp: {
          commands: { execute(id: string, args: unknown): Promise<unknown> };
        };
      }).jupyterapp.commands.execute(id as string, args),
    [id, args] as const,
  );
}

Deno.test({
  name: "jupyterlab: our prebuilt extension renders zarr.tree() in a JupyterLab 4 page",
  ignore: missing !== null && !CI,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    if (missing) {
      throw new Error(`the browser test needs: ${missing} (CI=true)`);
    }
    const timings: Record<string, number> = {};
    let t0 = performance.now();
    const lap = (what: string) => {
      timings[what] = Math.round(performance.now() - t0);
      t0 = performance.now();
    };
    // both mostly wait on npm's downloads: in parallel
    const [app] = await Promise.all([ensureLabApp(), ensureExtension()]);
    lap("lab app + extension (cache or build)");
    const lab = await LabSession.start({
      app,
      notebooks: { [NOTEBOOK]: CELLS },
    });
    lap("server + browser start");
    const { page } = lab;
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const shots: string[] = [];
    try {
      await t.step(
        "the notebook opens and its cells run one by one",
        async () => {
          await page.goto(lab.pageUrl(`lab/tree/${NOTEBOOK}`));
          await page.waitForSelector(".jp-Notebook .jp-Cell", {
            timeout: 60_000,
          });
          // the kernel is up when the session's kernel reports idle
          await page.waitForFunction(
            () => {
              const w = (globalThis as unknown as {
                jupyterapp?: {
                  shell: {
                    currentWidget?: {
                      sessionContext?: {
                        session?: { kernel?: { status: string } };
                      };
                    };
                  };
                };
              }).jupyterapp?.shell.currentWidget;
              return w?.sessionContext?.session?.kernel?.status === "idle";
            },
            null,
            { timeout: 90_000 },
          );
          lap("lab page + kernel ready");
          // the page offers our plugin's commands (the federated "extension" module loaded)
          const hasCommands = await page.evaluate(() => {
            const cmds = (globalThis as unknown as {
              jupyterapp: { commands: { hasCommand(id: string): boolean } };
            }).jupyterapp.commands;
            return ["zarr-tree:copy-path", "zarr-tree:insert-open-cell"].map((
              c,
            ) => cmds.hasCommand(c));
          });
          assertEquals(hasCommands, [true, true]);
          await runCell(page, 0);
          await cell(page, 0).locator(".jp-OutputArea-output", {
            hasText: "ready",
          })
            .waitFor({ timeout: 60_000 });
          await runCell(page, 1);
          await cell(page, 1).locator(".jp-ZarrTree").waitFor({
            timeout: 60_000,
          });
          await runCell(page, 2);
          await cell(page, 2).locator(".jp-ZarrTree").waitFor({
            timeout: 60_000,
          });
          lap("three cells run");
        },
      );

      await t.step(
        "our renderer, not the HTML fallback, drew the tree",
        async () => {
          for (const n of [1, 2]) {
            const out = cell(page, n).locator(".jp-OutputArea-output");
            assertEquals(await out.count(), 1, `cell ${n} outputs`);
            assertEquals(await out.getAttribute("data-mime-type"), TREE_MIME);
            assert(
              (await out.getAttribute("class") ?? "").split(" ").includes(
                "jp-ZarrTree",
              ),
            );
            assertEquals(
              await cell(page, n).locator(".zarr-tree").count(),
              0,
              "HTML fallback",
            );
          }
          const text = (p: string, cls: string) =>
            row(page, 1, p).locator(`> .jp-ZarrTree-${cls}`).textContent();
          assertEquals(await text("", "name"), "/");
          assertEquals(await text("", "count"), "3 members");
          assertEquals(await text("a", "count"), "2 members");
          assertEquals(await text("a/x", "shape"), "(20,)");
          assertEquals(await text("a/x", "dtype"), "float64");
          assertEquals(await text("a/x", "chunks"), "chunks (5,)");
          assertEquals(await text("m", "shape"), "(8, 8)");
          assertEquals(await text("m", "chunks"), "chunks (4, 4)");
          assertEquals(await text("many", "count"), "60 members");
          // LabIcons (inline SVG), no emoji
          assert(
            await cell(page, 1).locator(".jp-ZarrTree-icon svg").count() >= 5,
          );
          const all = await cell(page, 1).locator(".jp-ZarrTree").textContent() ?? "";
          assert(!/\p{Extended_Pictographic}/u.test(all), "emoji in the tree");
          // open two levels deep: root and its groups open, "a/deep" closed and not rendered
          const expanded = (p: string) =>
            cell(page, 1).locator(`li[data-zarr-path="${p}"]`).getAttribute(
              "aria-expanded",
            );
          assertEquals(
            await Promise.all(["", "a", "many", "a/deep"].map(expanded)),
            ["true", "true", "true", "false"],
          );
          assertEquals(await row(page, 1, "a/deep/deeper").count(), 0);
        },
      );

      await t.step(
        "groups collapse and expand; arrays show details",
        async () => {
          const x = row(page, 1, "a/x");
          assert(await x.isVisible());
          await row(page, 1, "a").click();
          await x.waitFor({ state: "hidden" });
          assertEquals(
            await cell(page, 1).locator('li[data-zarr-path="a"]').getAttribute(
              "aria-expanded",
            ),
            "false",
          );
          await row(page, 1, "a").click();
          await x.waitFor({ state: "visible" });
          await row(page, 1, "a/deep").click();
          await row(page, 1, "a/deep/deeper").waitFor({ state: "visible" });
          const details = cell(page, 1).locator(
            'li[data-zarr-path="a/x"] > .jp-ZarrTree-details',
          );
          assert(await details.isHidden());
          await x.click();
          await details.waitFor({ state: "visible" });
          const d = await details.textContent() ?? "";
          assert(d.includes("path: a/x") && d.includes("zarr_format: 3"), d);
          assert(d.includes("20 elements"), d);
        },
      );

      await t.step(
        '"N more..." pages in the rest of a large group',
        async () => {
          const members = cell(page, 1).locator('li[data-zarr-path^="many/"]');
          assertEquals(await members.count(), 50);
          const more = cell(page, 1).locator(".jp-ZarrTree-moreButton");
          assertEquals(await more.textContent(), "10 more...");
          await more.click();
          assertEquals(await members.count(), 60);
          assertEquals(await more.count(), 0);
          // collapse it in both trees so that the screenshots show the whole notebook
          for (const n of [1, 2]) {
            await row(page, n, "many").click();
            await cell(page, n).locator('li[data-zarr-path="many/v00"]')
              .waitFor({ state: "hidden" });
          }
        },
      );

      await t.step("copy-path button and commands", async () => {
        const readClipboard = () => page.evaluate("navigator.clipboard.readText()");
        await row(page, 1, "a/x").hover();
        await row(page, 1, "a/x").locator(".jp-ZarrTree-copy").click();
        assertEquals(await readClipboard(), "a/x");
        await row(page, 1, "m").click({ button: "right" });
        const menu = page.locator(".lm-Menu");
        await menu.getByText("Copy Zarr Path").click();
        assertEquals(await readClipboard(), "m");
        await row(page, 2, "a/x").click({ button: "right" });
        await menu.getByText("Insert Cell Opening This Zarr Node").click();
        const source = 'await g.getitem("a/x")';
        await page.locator(".jp-Notebook .jp-Cell", { hasText: source })
          .waitFor({ timeout: 10_000 });
        const texts = await page.locator(".jp-Notebook .jp-Cell")
          .allTextContents();
        const index = texts.findIndex((t) => t.includes(source));
        await runCell(page, index);
        // the array's own display: the info table with its dtype
        await cell(page, index).locator(".jp-OutputArea-output table", {
          hasText: "float64",
        })
          .waitFor({ timeout: 60_000 });
        lap("interactions");
      });

      await t.step(
        "light and dark themes (JupyterLab theme setting)",
        async () => {
          const leftOpen = await page.evaluate(() =>
            !(globalThis as unknown as {
              jupyterapp: { shell: { leftCollapsed: boolean } };
            })
              .jupyterapp.shell.leftCollapsed
          );
          if (leftOpen) await command(page, "application:toggle-left-area");
          await cell(page, 0).scrollIntoViewIfNeeded();
          await page.mouse.move(0, 0);
          assertEquals(
            await page.evaluate("document.body.dataset.jpThemeLight"),
            "true",
          );
          const light = await treeColors(page);
          assert(luminance(light.name) < 0.4, `light theme text ${light.name}`);
          assert(
            luminance(light.background) > 0.6,
            `light theme background ${light.background}`,
          );
          const lightShot = `${ARTIFACTS}jupyterlab-tree-light.png`;
          await page.screenshot({ path: lightShot });
          shots.push(lightShot);

          await command(page, "apputils:change-theme", {
            theme: "JupyterLab Dark",
          });
          const darkText = `getComputedStyle(document.querySelector(".jp-ZarrTree-name")).color` +
            `.match(/[\\d.]+/g).slice(0, 3).map(Number).reduce((a, b) => a + b) > 3 * 160`;
          await page.waitForFunction(
            `document.body.dataset.jpThemeLight === "false" && ${darkText}`,
            null,
            { timeout: 30_000 },
          );
          const dark = await treeColors(page);
          assert(luminance(dark.name) > 0.6, `dark theme text ${dark.name}`);
          assert(
            luminance(dark.background) < 0.4,
            `dark theme background ${dark.background}`,
          );
          // the choice went through the settings system
          const setting = await lab.api(
            "lab/api/settings/@jupyterlab/apputils-extension:themes",
          ) as {
            raw: string;
          };
          assert(setting.raw.includes("JupyterLab Dark"), setting.raw);
          await page.waitForTimeout(300);
          const darkShot = `${ARTIFACTS}jupyterlab-tree-dark.png`;
          await page.screenshot({ path: darkShot });
          shots.push(darkShot);
        },
      );

      await t.step("no page errors", () => {
        assertEquals(lab.pageErrors, []);
        const ours = lab.consoleErrors.filter((m) => !KNOWN_404.test(m));
        assertEquals(ours, []);
      });
    } catch (e) {
      const shot = `${ARTIFACTS}jupyterlab-failure.png`;
      await page.screenshot({ path: shot }).then(() => console.log(`failure screenshot: ${shot}`))
        .catch(() => {});
      console.log(`server log (tail):\n${lab.serverLog.join("").slice(-4000)}`);
      console.log(`page errors: ${JSON.stringify(lab.pageErrors)}`);
      throw e;
    } finally {
      await lab.close();
      lap("shutdown");
    }
    for (const s of shots) console.log(`screenshot: ${s}`);
    console.log(`timings (ms): ${JSON.stringify(timings)}`);
  },
});
