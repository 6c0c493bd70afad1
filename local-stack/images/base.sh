#!/usr/bin/env bash
# The base every Parley image is built on (./parley images): a Java runtime made with jlink from the local JDK,
# and the few C libraries it loads, copied from this machine, so that no registry is needed. The result, in
# target/image-base, becomes the images' first layers (Jib's extraDirectories, on a scratch base).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/image-base
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
rm -rf "$out" && mkdir -p "$out/opt" "$out/tmp"
# java.se for Spring's java.beans and JMX; jdk.unsupported for Netty and Cassandra's driver; jdk.httpserver for the
# tier's admin port; jdk.crypto.ec for TLS to the stores; jdk.jfr and jdk.management for profiling a pod.
"$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.httpserver,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.management,jdk.jfr,jdk.zipfs,jdk.naming.dns \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/opt/java"
# The libraries the runtime's binaries need, AWT's aside (the images are headless).
libs=$(for f in "$out/opt/java/bin/java" $(find "$out/opt/java/lib" -name '*.so' | grep -v -E 'awt|font|lcms|jsound|splashscreen|mlib|javajpeg'); do
  ldd "$f" | grep -o '=> /[^ ]*\|^\s*/lib64/[^ ]*' | sed 's/=> //; s/^\s*//'
done | grep -v "^$(readlink -f "$out")" | grep -v '/opt/java/' | sort -u)
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
echo "image base: $(du -sh "$out" | cut -f1) in $out (Java $("$out/opt/java/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2))"
