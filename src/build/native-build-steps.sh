#!/bin/sh
# Runs every Quarkus native build step (./mvnw -Pnative, into target/native) up to the native-image
# call, which fails here for want of GraalVM: what it would have been given - the runner jar with
# META-INF/native-image/reflect-config.json - is left in target/native/*-native-image-source-jar/,
# where NativeBuildIT checks it. Any other failure fails the build.
set -u
cd "$(dirname "$0")/../.."
log=target/native-build-steps.log
mkdir -p target
if ./mvnw -B -Pnative -Dmaven.test.skip=true package >"$log" 2>&1; then
  echo "native build steps: a native executable was built (GraalVM found)"
elif grep -q -E "no container runtime is available|Cannot find the .native-image" "$log"; then
  echo "native build steps: done; native-image itself is not on this machine (expected)"
else
  tail -n 60 "$log" >&2
  echo "native build steps failed before the native-image call; see $log" >&2
  exit 1
fi
