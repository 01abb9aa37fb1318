// Shows one Gaussian file in Spark (three.js, vendored in .deps/npm) as a new user would, in
// headless Chromium, from a camera given in tera's y-up frame, and saves a SIZE x SIZE screenshot.
// .ply and .splat get Spark's usual handling of such files, a 180 degree turn about X (they store
// x right, y down, z forward); .spz (RUB: x right, y up, z back) is shown as it is. The files are
// served to the page from a made-up origin by playwright's request routing: nothing is listened on.
//   node spark_screenshot.mjs --modules .deps/npm/node_modules --chromium /usr/bin/chromium
//        --file avatar.ply --eye x,y,z --target x,y,z --fov 30 --size 512 --out shot.png
import fs from "node:fs";
import path from "node:path";
import { FIRST_FRAME_TIMEOUT_MS, newPage, openBrowser, parseArguments, seconds } from "./browser.mjs";

const ORIGIN = "http://tera.test";  // never resolved: every request is answered by the route below
// Frames drawn after loading before the screenshot: Spark sorts in a worker and shows the sorted
// order a frame or two later.
const SETTLE_FRAMES = 4;

const options = parseArguments(process.argv.slice(2));
const size = Number(options.size);
const extension = path.extname(options.file).slice(1).toLowerCase();
const turnAboutX = extension === "ply" || extension === "splat";
const page_html = `<!DOCTYPE html><html><head><style>body{margin:0;background:#fff}</style>
<script type="importmap">{"imports": {"three": "/modules/three/build/three.module.js",
  "three/addons/": "/modules/three/examples/jsm/", "@sparkjsdev/spark": "/modules/@sparkjsdev/spark/dist/spark.module.js"}}</script>
</head><body><script type="module">
import * as THREE from "three";
import { SparkRenderer, SplatMesh } from "@sparkjsdev/spark";
const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.setSize(${size}, ${size});
document.body.appendChild(renderer.domElement);
const scene = new THREE.Scene();
scene.background = new THREE.Color(1, 1, 1);
scene.add(new SparkRenderer({ renderer }));
const camera = new THREE.PerspectiveCamera(${Number(options.fov)}, 1, 0.01, 1000);
camera.position.set(${options.eye});
camera.lookAt(${options.target});
const mesh = new SplatMesh({ url: "/scene/avatar.${extension}" });
${turnAboutX ? "mesh.quaternion.set(1, 0, 0, 0);  // 180 degrees about X" : ""}
scene.add(mesh);
await mesh.initialized;
let frames = 0;
renderer.setAnimationLoop(() => {
  renderer.render(scene, camera);
  frames += 1;
  document.body.dataset.frames = String(frames);
});
</script></body></html>`;

const mime = { js: "text/javascript", mjs: "text/javascript", wasm: "application/wasm", html: "text/html" };
const errors = [];
const started = performance.now();
const browser = await openBrowser(options.modules, options.chromium);
const report = { file: path.basename(options.file), turn_about_x: turnAboutX, errors };
try {
  const page = await newPage(browser, size, size, errors);
  await page.route(ORIGIN + "/**", async route => {
    const url = new URL(route.request().url());
    let file = null;
    if (url.pathname === "/index.html") return route.fulfill({ body: page_html, contentType: "text/html" });
    if (url.pathname.startsWith("/modules/")) file = path.resolve(options.modules, decodeURIComponent(url.pathname.slice(9)));
    if (url.pathname.startsWith("/scene/")) file = options.file;
    if (!file || !fs.existsSync(file)) return route.fulfill({ status: 404, body: "not found: " + url.pathname });
    const type = mime[path.extname(file).slice(1)] || "application/octet-stream";
    return route.fulfill({ body: fs.readFileSync(file), contentType: type });
  });
  await page.goto(ORIGIN + "/index.html");
  await page.waitForFunction(n => Number(document.body.dataset.frames || 0) >= n, SETTLE_FRAMES,
                             { timeout: FIRST_FRAME_TIMEOUT_MS });
  report.settled_seconds = seconds(started);
  await page.locator("canvas").screenshot({ path: options.out });
  report.screenshot_seconds = seconds(started);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
