#!/usr/bin/env bash
# `npm run android:apk`: builds demos/android-webview into build/android/torchwick-demo.apk, a
# debug-signed APK, with Debian's Android packages only (no Gradle, no SDK download):
#   aapt, zipalign, apksigner   this release's packages, installed with apt-get when missing;
#   android.jar (API 23), dx    libandroid-23-java and dalvik-exchange, which left Debian after
#                               bullseye: fetched with `apt-get download` from the previous
#                               releases of the mirror this machine's apt sources name, using a
#                               private sources list and lists folder (the system's apt state is
#                               untouched), and unpacked into $CACHE;
#   javac (-source/-target 8)   the JDK already on the machine; keytool makes $CACHE's debug key.
# The APK's assets/www/ is laid out as `npm run demo:web` serves the demo (demos/web at /, dist/ at
# /dist/, demos/models/ at /models/), so its relative URLs work unchanged at
# https://appassets.androidplatform.net/.
set -euo pipefail
cd "$(dirname "$0")/../.."

APP=demos/android-webview
OUT=build/android
APK=$OUT/torchwick-demo.apk
CACHE=${TORCHWICK_ANDROID_CACHE:-$HOME/.cache/torchwick-android}
# Debian's releases, oldest first: the ones before this machine's are searched, newest first.
RELEASES=(stretch buster bullseye bookworm trixie forky)

die() { echo "android:apk: $*" >&2; exit 1; }

for f in "$APP/AndroidManifest.xml" demos/web/index.html dist/torchwick.mjs dist/torchwick.js dist/torchwick.wasm demos/models/style.pt; do
  [ -e "$f" ] || die "$f is missing (the web demo, \`npm run build\` and demos/models/ come first)"
done

install_build_tools() {
  local missing=()
  for tool in aapt zipalign apksigner; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  for tool in javac keytool; do command -v "$tool" >/dev/null || die "$tool is missing: install a JDK (openjdk-17-jdk-headless)"; done
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: run 'apt-get install aapt zipalign apksigner' as root"
  echo "android:apk: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}

# The Debian mirror (the URI serving this release's main suite) from /etc/apt sources, one-line or deb822.
debian_mirror() {
  local codename=$1
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v c="$codename" '$1 == "deb" { for (i = 2; i < NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $(i+1) == c) { print $i; exit } }'
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    # deb822 stanzas are separated by blank lines; take the URIs of one whose Suites has the codename.
    awk -v c="$codename" 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; hit = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == c) hit = 1 }
        }
        if (hit && uris != "") { split(uris, u, /[ \t]+/); print u[1]; exit } }' "$f"
  done
}

fetch_sdk() {
  [ -f "$CACHE/sdk/android.jar" ] && [ -f "$CACHE/sdk/dx.jar" ] && return
  local codename mirror idx apt debs
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release: cannot tell which Debian release this is"
  mirror=$(debian_mirror "$codename" || true)
  mirror=${mirror%%$'\n'*}
  [ -n "$mirror" ] || die "no apt source for '$codename' main in /etc/apt/sources.list*: cannot find a Debian mirror"
  idx=-1
  for i in "${!RELEASES[@]}"; do [ "${RELEASES[$i]}" = "$codename" ] && idx=$i; done
  [ "$idx" -gt 0 ] || die "unknown Debian release '$codename' (known: ${RELEASES[*]})"
  apt=$CACHE/apt
  debs=$CACHE/debs
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$debs"
  local opts=(-q -o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt/lists"
              -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
  for ((i = idx - 1; i >= 0; i--)); do
    local previous=${RELEASES[$i]}
    echo "android:apk: fetching libandroid-23-java and dalvik-exchange from $previous"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $previous main" > "$apt/sources.list"
    rm -f "$debs"/*.deb
    if apt-get "${opts[@]}" update >/dev/null 2>&1 &&
       (cd "$debs" && apt-get "${opts[@]}" download libandroid-23-java dalvik-exchange >/dev/null 2>&1); then
      rm -rf "$CACHE/root" && mkdir -p "$CACHE/root" "$CACHE/sdk"
      for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$CACHE/root"; done
      cp "$CACHE/root/usr/share/java/com.android.android-23.jar" "$CACHE/sdk/android.jar"
      cp "$CACHE"/root/usr/share/java/com.android.dx-*.jar "$CACHE/sdk/dx.jar"
      rm -rf "$CACHE/root" "$debs"
      return
    fi
  done
  die "no release before $codename on $mirror has libandroid-23-java and dalvik-exchange"
}

debug_key() {
  [ -f "$CACHE/debug.keystore" ] && return
  mkdir -p "$CACHE"
  keytool -genkeypair -keystore "$CACHE/debug.keystore" -storepass android -keypass android \
    -alias androiddebugkey -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=Android Debug,O=Android,C=US" >/dev/null 2>&1
}

install_build_tools
fetch_sdk
debug_key

JAR=$CACHE/sdk/android.jar
WORK=$OUT/work
rm -rf "$WORK" && mkdir -p "$WORK/gen" "$WORK/classes" "$WORK/dex" "$WORK/assets"

# Assets (the models without their .npy references, the bundles without their type declarations).
cp -r demos/web "$WORK/assets/www"
mkdir -p "$WORK/assets/www/models" "$WORK/assets/www/dist"
cp demos/models/*.pt demos/models/*.jpg "$WORK/assets/www/models/"
cp dist/torchwick.mjs dist/torchwick.js dist/torchwick.wasm "$WORK/assets/www/dist/"

aapt package -f -m -J "$WORK/gen" -M "$APP/AndroidManifest.xml" -S "$APP/res" -I "$JAR"
find "$APP/src" "$WORK/gen" -name '*.java' > "$WORK/sources.txt"
javac -nowarn -Xlint:-options -source 8 -target 8 -encoding UTF-8 -bootclasspath "$JAR" -d "$WORK/classes" @"$WORK/sources.txt"
java -cp "$CACHE/sdk/dx.jar" com.android.dx.command.Main --dex --min-sdk-version=23 --output="$WORK/dex/classes.dex" "$WORK/classes"

# aapt's default ignore list drops folders starting with '_' (bundlers' chunk folders): keep only the VCS/editor rules.
aapt package -f -M "$APP/AndroidManifest.xml" -S "$APP/res" -A "$WORK/assets" -I "$JAR" -F "$WORK/unsigned.apk" \
  --ignore-assets '!.svn:!.git:!.ds_store:!*.scc:.*:!CVS:!thumbs.db:!picasa.ini:!*~' -0 pt -0 jpg -0 png -0 wasm
(cd "$WORK/dex" && aapt add ../unsigned.apk classes.dex >/dev/null)
zipalign -f 4 "$WORK/unsigned.apk" "$WORK/aligned.apk"
apksigner sign --ks "$CACHE/debug.keystore" --ks-pass pass:android --key-pass pass:android --ks-key-alias androiddebugkey \
  --out "$APK" "$WORK/aligned.apk"
rm -f "$APK.idsig"
echo "android:apk: $APK ($(stat -c %s "$APK") bytes)"
