// The Android WebView app as a real APK: builds it with `npm run android:apk` when it is missing
// (Debian's aapt/zipalign/apksigner, android.jar 23 + dx from the previous release), then checks
// what a phone would check: the manifest's badging, the signature, and that the web demo, the
// bundles, the engine and the style model are inside and unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readZip, type ZipReader } from '../../src/serialize/zip.js';

const APK = 'build/android/torchwick-demo.apk';
const WWW = 'assets/www/';

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  assert.is(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}:\n${(r.stdout + r.stderr).slice(-4000)}`);
  return r.stdout;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** What the APK is built from: rebuilt when any of it is newer than the APK. */
const INPUTS = ['demos/web', 'demos/android-webview', 'demos/models/style.pt', 'dist/torchwick.mjs', 'dist/torchwick.js', 'dist/torchwick.wasm', 'tools/android'];

function stale(): boolean {
  if (!existsSync(APK)) return true;
  const built = statSync(APK).mtimeMs;
  return INPUTS.filter(existsSync).some((p) => (statSync(p).isDirectory() ? filesUnder(p) : [p]).some((f) => statSync(f).mtimeMs > built));
}

let apk: ZipReader;

test('npm run android:apk builds a signed APK (when it is missing or stale)', () => {
  if (stale()) run('npm', ['run', '-s', 'android:apk']);
  assert.ok(existsSync(APK), `${APK} was not written`);
  apk = readZip(new Uint8Array(readFileSync(APK)));
  assert.ok(apk.has('classes.dex') && apk.has('AndroidManifest.xml') && apk.has('resources.arsc'));
});

test('aapt dump badging: package, launcher activity, SDK levels, no permissions', () => {
  const badging = run('aapt', ['dump', 'badging', APK]);
  assert.match(badging, /^package: name='dev\.torchwick\.demo'/m);
  assert.match(badging, /^launchable-activity: name='dev\.torchwick\.demo\.MainActivity'/m);
  assert.match(badging, /^sdkVersion:'23'$/m);
  assert.match(badging, /^targetSdkVersion:'34'$/m);
  assert.match(badging, /^application-label:'torchwick style'$/m);
  assert.not.match(badging, /uses-permission/);
});

test('apksigner verifies the v1 and v2 signatures', () => {
  const out = run('apksigner', ['verify', '--verbose', APK]);
  assert.match(out, /^Verifies$/m);
  assert.match(out, /Verified using v1 scheme \(JAR signing\): true/);
  assert.match(out, /Verified using v2 scheme \(APK Signature Scheme v2\): true/);
});

/** Where a repository file is served in the app, as `npm run demo:web` serves it. */
function served(file: string): string {
  if (file.startsWith('demos/web/')) return WWW + file.slice('demos/web/'.length);
  if (file.startsWith('demos/models/')) return WWW + 'models/' + file.slice('demos/models/'.length);
  return WWW + file;
}

test('assets/www is laid out as demo:web serves it: web demo, bundles, engine, model, photos', () => {
  for (const file of ['demos/web/index.html', 'dist/torchwick.mjs', 'dist/torchwick.js', 'dist/torchwick.wasm', 'demos/models/style.pt', 'demos/models/chelsea.jpg', 'demos/models/coffee.jpg']) {
    assert.ok(apk.has(served(file)), `${served(file)} (${file}) is not in the APK`);
  }
  // Every file of the web demo, including any in '_'-prefixed folders, which aapt drops by default.
  for (const file of filesUnder('demos/web')) {
    assert.ok(apk.has(served(file)), `${served(file)} (${file}) is not in the APK`);
  }
});

test("AssetServer's MIME table covers every asset type (application/wasm for the engine)", () => {
  const java = readFileSync('demos/android-webview/src/dev/torchwick/demo/AssetServer.java', 'utf8');
  const mime = new Map([...java.matchAll(/MIME\.put\("(\w+)", "([^"]+)"\)/g)].map((m) => [m[1], m[2]]));
  assert.is(mime.get('wasm'), 'application/wasm');
  assert.is(mime.get('html'), 'text/html');
  assert.is(mime.get('mjs'), 'text/javascript');
  assert.is(mime.get('js'), 'text/javascript');
  assert.is(mime.get('css'), 'text/css');
  assert.is(mime.get('jpg'), 'image/jpeg');
  assert.is(mime.get('png'), 'image/png');
  assert.is(mime.get('pt'), 'application/octet-stream');
  for (const name of apk.names().filter((n) => n.startsWith(WWW))) {
    const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase();
    assert.ok(ext && mime.has(ext), `${name}: AssetServer has no MIME type for '.${ext}'`);
  }
});

test('the model and the engine in the APK are byte-identical to the repository copies', () => {
  for (const name of ['demos/models/style.pt', 'dist/torchwick.wasm']) {
    const inApk = apk.read(served(name));
    const here = new Uint8Array(readFileSync(name));
    assert.is(inApk.length, here.length, `${name}: ${inApk.length} bytes in the APK, ${here.length} here`);
    assert.ok(Buffer.compare(Buffer.from(inApk), Buffer.from(here)) === 0, `${name} differs from the APK's copy`);
  }
  const wasm = apk.read(WWW + 'dist/torchwick.wasm');
  assert.equal([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'torchwick.wasm lacks the \\0asm magic');
});

test('classes.dex holds the app: activity, asset server, photo bridge, capture provider', () => {
  const dex = Buffer.from(apk.read('classes.dex'));
  assert.is(dex.subarray(0, 4).toString('latin1'), 'dex\n');
  for (const cls of ['MainActivity', 'AssetServer', 'PhotoBridge', 'CaptureProvider', 'Pictures']) {
    assert.ok(dex.includes(`Ldev/torchwick/demo/${cls};`), `class ${cls} is not in classes.dex`);
  }
  for (const s of ['application/wasm', 'appassets.androidplatform.net', 'TorchwickAndroid', 'torchwick-photo']) {
    assert.ok(dex.includes(s), `string '${s}' is not in classes.dex`);
  }
});

test.run();
