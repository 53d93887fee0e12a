#!/usr/bin/env bash
# Makes the root filesystem the wsfleet images start from; Jib lays it on a `scratch` base as
# an extra directory (see docs/decisions/0007-container-images.md):
#   /opt/java            a jlink'd runtime of the JDK that runs Maven (JAVA_HOME)
#   /lib*                the shared libraries that runtime loads, copied from this machine at
#                        the paths they have here
#   /usr/lib/locale/C.utf8  glibc's C.UTF-8 locale (LANG=C.UTF-8: UTF-8 file names, env values)
#   /etc/passwd, group   user and group wsfleet (10001)
#   /etc/wsfleet-base.txt  the Debian package and version every copied file came from
# Maven runs it in prepare-package of operator and ws-node; both share one root. A second run
# whose inputs (this script, the JDK's jmods, the copied libraries) are unchanged does nothing.
#
# usage: JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 images/base-root.sh OUT_DIR
#        (the root is OUT_DIR/root)
set -euo pipefail

# Found with `jdeps --print-module-deps --ignore-missing-deps` on the two shaded jars, plus the
# modules loaded by name: jdk.crypto.ec (TLS to the API server), jdk.naming.dns (Netty's DNS
# server lookup), jdk.net (Vert.x socket options), jdk.unsupported (sun.misc.Signal, Unsafe),
# jdk.management (Prometheus JVM metrics). java.desktop is left out: only Jackson's optional
# java.beans support wants it and its AWT libraries would pull in X11 and font libraries.
modules=(
  java.base java.compiler java.logging java.management java.naming java.net.http java.sql
  java.xml jdk.crypto.ec jdk.httpserver jdk.jfr jdk.management jdk.naming.dns jdk.net
  jdk.unsupported
)
jlink_options=(--strip-debug --no-header-files --no-man-pages --compress=2)
wsfleet_id=10001

die() {
  echo "base-root: $*" >&2
  exit 1
}

(($# == 1)) || die "usage: JAVA_HOME=<jdk> $0 OUT_DIR"
out_dir=$1
script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
java_home=${JAVA_HOME:-}
if [[ -z $java_home ]]; then
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")" ||
    die "set JAVA_HOME to a JDK with jmods"
fi
[[ -x $java_home/bin/jlink ]] || die "no jlink in $java_home/bin (JAVA_HOME must be a JDK)"
[[ -f $java_home/jmods/java.base.jmod ]] ||
  die "no $java_home/jmods: install the JDK's jmods (Debian 12: openjdk-17-jdk-headless; later: openjdk-17-jmods)"
java_version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$java_home/release")"
[[ $java_version == 17.* ]] ||
  echo "base-root: warning: JAVA_HOME is Java $java_version; the images are meant to run Java 17" >&2

mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
root="$out_dir/root"
stamp="$out_dir/inputs.txt"
copied="$out_dir/copied.txt"
locale_dir=/usr/lib/locale/C.utf8

# Everything the root is made from; the root is rebuilt when any line changes.
inputs() {
  local file
  sha256sum "$script" | cut -d' ' -f1
  echo "java_home=$java_home"
  stat -L -c '%n %s %Y' "$java_home/release" "$java_home"/jmods/*.jmod
  if [[ -f $copied ]]; then
    while read -r file; do
      stat -L -c '%n %s %Y' "$file" 2>/dev/null || echo "missing $file"
      readlink -f "$file"
    done <"$copied"
  fi
}

# One build at a time, even when two modules build in parallel (mvn -T).
exec 9>"$out_dir/.lock"
flock 9

if [[ -d $root && -f $stamp ]] && cmp -s "$stamp" <(inputs); then
  exit 0
fi

started=$SECONDS
work="$out_dir/root.tmp"
rm -rf "$work"
mkdir -p "$work/opt" "$work/etc"

"$java_home/bin/jlink" --module-path "$java_home/jmods" \
  --add-modules "$(IFS=,; echo "${modules[*]}")" "${jlink_options[@]}" --output "$work/opt/java"
# jlink links duplicate legal notices; Jib would copy the links' targets anyway. Real files.
while IFS= read -r -d '' link; do
  cp --remove-destination "$(readlink -f "$link")" "$link"
done < <(find "$work/opt/java" -type l -print0)

# The ELF files of the runtime and, through ldd, every library they load from outside it.
ldd_closure() {
  local file line name path
  while IFS= read -r -d '' file; do
    while read -r line; do
      case $line in
        *"=> not found"*)
          # libjvm.so and friends: loaded from the runtime itself, by the JVM's own paths.
          name=${line%% *}
          [[ -n "$(find "$work/opt/java" -name "$name" -print -quit)" ]] ||
            die "$file needs $name, which is neither in the runtime nor on this machine"
          ;;
        *"=> /"*)
          path=${line#*=> }
          path=${path% (*}
          [[ $path == "$work"/* ]] || echo "$path"
          ;;
        /*) echo "${line% (*}" ;;
      esac
    done < <(ldd "$file")
  done < <(find "$work/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \
    -o -name jspawnhelper -o -name jexec \) -print0)
}
ldd_closure | sort -u >"$work/libraries"
[[ -s $work/libraries ]] || die "ldd found no libraries for $work/opt/java/bin/java"

cp "$work/libraries" "$work/copied"
if [[ -d $locale_dir ]]; then
  find "$locale_dir" -type f | sort >>"$work/copied"
else
  echo "base-root: warning: no $locale_dir on this machine; LANG=C.UTF-8 falls back to C" >&2
fi
while read -r file; do
  mkdir -p "$work$(dirname "$file")"
  cp -L "$file" "$work$file"
done <"$work/copied"

# The Debian package that installed a path; merged /usr means the package may list it under
# /usr, under / or only the file a symlink points to.
package_of() {
  local path=$1 real candidate owner
  real="$(readlink -f "$path")"
  for candidate in "$path" "/usr$path" "$real" "${real#/usr}"; do
    owner="$(dpkg -S "$candidate" 2>/dev/null | head -n 1)" || continue
    if [[ -n $owner ]]; then
      echo "${owner%%: *}"
      return
    fi
  done
  echo "unknown"
}

version_of() {
  [[ $1 == unknown ]] && { echo "-"; return; }
  dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "-"
}

{
  echo "# Root filesystem of the wsfleet images, made by images/base-root.sh."
  echo "# path<TAB>Debian package<TAB>version (of the package the file was copied from)"
  if command -v dpkg >/dev/null; then
    jdk_package="$(package_of "$java_home/jmods/java.base.jmod")"
    printf '/opt/java\t%s\t%s\t(jlink, Java %s: %s)\n' "$jdk_package" \
      "$(version_of "$jdk_package")" "$java_version" "${modules[*]}"
    while read -r lib; do
      pkg="$(package_of "$lib")"
      printf '%s\t%s\t%s\n' "$lib" "$pkg" "$(version_of "$pkg")"
    done <"$work/libraries"
    if [[ -d $locale_dir ]]; then
      pkg="$(package_of "$locale_dir/LC_CTYPE")"
      printf '%s\t%s\t%s\n' "$locale_dir" "$pkg" "$(version_of "$pkg")"
    fi
  else
    printf '/opt/java\tunknown\t-\t(jlink, Java %s: %s)\n' "$java_version" "${modules[*]}"
    sed 's/$/\tunknown\t-/' "$work/libraries"
  fi
} >"$work/etc/wsfleet-base.txt"

cat >"$work/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
wsfleet:x:$wsfleet_id:$wsfleet_id:wsfleet:/tmp:/sbin/nologin
EOF
cat >"$work/etc/group" <<EOF
root:x:0:
wsfleet:x:$wsfleet_id:
EOF
# glibc resolves users from /etc/passwd and host names from /etc/hosts, then DNS (both are
# built into libc since glibc 2.34: no NSS module to copy).
cat >"$work/etc/nsswitch.conf" <<EOF
passwd: files
group: files
hosts: files dns
EOF

mv "$work/copied" "$copied"
rm "$work/libraries"
rm -rf "$root"
mv "$work" "$root"
inputs >"$stamp"
echo "base-root: made $root ($(du -sm "$root" | cut -f1) MB, $((SECONDS - started)) s)"
