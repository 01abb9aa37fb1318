// Headless Chromium for the browser tests, through the vendored playwright-core (.deps/npm) and
// Debian's chromium. WebGL2 comes from SwiftShader (no GPU on the test machines).
import { createRequire } from "node:module";
import path from "node:path";

// Flags that give headless Chromium a working WebGL2 on SwiftShader and keep it off the network.
const CHROMIUM_FLAGS = [
  "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
];

// A frame of 80k splats in SwiftShader on 2 busy cores takes seconds; a page load tens of seconds.
export const FIRST_FRAME_TIMEOUT_MS = 300000;

// Parses "--name value" pairs into an object.
export function parseArguments(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || i + 1 >= argv.length) throw new Error("expected --name value pairs, got " + argv[i]);
    options[argv[i].slice(2)] = argv[i + 1];
  }
  return options;
}

// Starts chromium; page errors and console errors are collected in `errors`.
export async function openBrowser(modules, chromium) {
  const require = createRequire(path.resolve(modules, "playwright-core", "package.json"));
  const playwright = require("playwright-core");
  const browser = await playwright.chromium.launch({ executablePath: chromium, headless: true, args: CHROMIUM_FLAGS });
  return browser;
}

// A page of the given viewport size that records its errors.
export async function newPage(browser, width, height, errors) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  page.on("pageerror", error => errors.push("page error: " + error.message));
  page.on("console", message => { if (message.type() === "error") errors.push("console: " + message.text()); });
  return page;
}

export function seconds(since) {
  return Math.round((performance.now() - since) / 100) / 10;
}
