// Opens a tera viewer page from file:// in headless Chromium, waits for its first frame and takes
// a screenshot of the canvas at SIZE x SIZE pixels (the page's starting view = `tera render` view 0),
// then drags across half the canvas (half a turn) and takes a second one. Prints one JSON line
// with the timings and anything the page reported as an error.
//   node viewer_screenshots.mjs --modules .deps/npm/node_modules --chromium /usr/bin/chromium
//        --page viewer.html --size 512 --front front.png --back back.png
import { pathToFileURL } from "node:url";
import { FIRST_FRAME_TIMEOUT_MS, newPage, openBrowser, parseArguments, seconds } from "./browser.mjs";

const options = parseArguments(process.argv.slice(2));
const size = Number(options.size);
const errors = [];
const started = performance.now();
const browser = await openBrowser(options.modules, options.chromium);
const report = { errors };
try {
  // The header above the canvas takes some height: size the window so the canvas is size x size.
  const page = await newPage(browser, size, size + 100, errors);
  await page.goto(pathToFileURL(options.page).href);
  const canvas = page.locator("canvas");
  const box = await canvas.boundingBox();
  await page.setViewportSize({ width: size, height: Math.round(size + 100 + size - box.height) });
  const frames = async () => Number(await page.evaluate(() => document.body.dataset.frames || 0));
  // Every resize draws again; wait for the frame of the final size.
  await page.waitForFunction(() => Number(document.body.dataset.frames || 0) >= 1, null, { timeout: FIRST_FRAME_TIMEOUT_MS });
  await page.waitForFunction(([w, h]) => {
    const c = document.querySelector("canvas");
    return c.width === w && c.height === h;
  }, [size, size], { timeout: FIRST_FRAME_TIMEOUT_MS });
  const settle = async () => {
    // Two animation frames after the last draw request: the last requested frame is on screen.
    await page.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))));
  };
  await settle();
  report.first_frame_seconds = seconds(started);
  const sized = await canvas.boundingBox();
  report.canvas = [sized.width, sized.height];
  await canvas.screenshot({ path: options.front });
  report.front_seconds = seconds(started);

  // A drag across half the canvas width turns the avatar half a turn (TURN_PER_WIDTH = 2 pi).
  const y = sized.y + sized.height / 2;
  const x0 = sized.x + sized.width / 4;
  const before = await frames();
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x0 + sized.width / 2, y, { steps: 4 });
  await page.mouse.up();
  await settle();
  report.frames_during_drag = (await frames()) - before;
  await canvas.screenshot({ path: options.back });
  report.back_seconds = seconds(started);
  report.frames = await frames();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
