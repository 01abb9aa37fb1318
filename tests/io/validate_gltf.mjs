// Prints the gltf-validator report of one .glb file as JSON on stdout.
// Usage: node validate_gltf.mjs <validator module folder> <file.glb>
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const [moduleDir, file] = process.argv.slice(2);
const require = createRequire(path.join(moduleDir, 'package.json'));
const validator = require(moduleDir);
const data = new Uint8Array(await readFile(file));
const report = await validator.validateBytes(data, {
  uri: path.basename(file),
  maxIssues: 0,  // report every issue
  writeTimestamp: false,
});
console.log(JSON.stringify(report, null, 1));
