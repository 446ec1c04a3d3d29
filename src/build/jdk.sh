# Picks the JDK Visage builds with, for ./mvnw and bench/run (sourced, POSIX sh): a JAVA_HOME the user set is
# used as it is, or refused in one line if it cannot build Visage; without one, the newest JDK 21 or newer
# among the one on the PATH and the usual install folders. Sets and exports JAVA_HOME, sets JAVA_FEATURE.
JAVA_MIN=21

# The feature release of the JDK at $1 (25 for "25.0.1", 8 for "1.8.0"), from its release file or its java.
jdk_feature() {
  v=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
  v=${v#1.}
  echo "${v%%[!0-9]*}"
}

if [ -n "${JAVA_HOME:-}" ]; then
  # The user's choice is honoured, or refused in one line if it cannot build Visage.
  [ -x "$JAVA_HOME/bin/javac" ] || { echo "mvnw: JAVA_HOME=$JAVA_HOME has no bin/javac: point it at a JDK $JAVA_MIN or newer" >&2; exit 1; }
  f=$(jdk_feature "$JAVA_HOME")
  [ "${f:-0}" -ge "$JAVA_MIN" ] || { echo "mvnw: JAVA_HOME=$JAVA_HOME is Java ${f:-unknown}; Visage builds with Java $JAVA_MIN or newer" >&2; exit 1; }
else
  # The newest JDK >= 21 among the one on the PATH and the usual install folders.
  best=
  best_f=0
  path_jdk=
  if command -v javac >/dev/null 2>&1; then
    path_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  for jdk in "$path_jdk" /usr/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$jdk" ] && [ -x "$jdk/bin/javac" ] || continue
    f=$(jdk_feature "$jdk")
    if [ "${f:-0}" -ge "$JAVA_MIN" ] && [ "$f" -gt "$best_f" ]; then
      best=$jdk
      best_f=$f
    fi
  done
  [ -n "$best" ] || { echo "mvnw: no JDK $JAVA_MIN or newer found (looked at the PATH and /usr/lib/jvm): install one or set JAVA_HOME" >&2; exit 1; }
  JAVA_HOME=$best
  f=$best_f
fi
JAVA_FEATURE=$f
export JAVA_HOME
