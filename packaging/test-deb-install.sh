#!/usr/bin/env bash
# Installs a Redwire .deb into a clean Debian 12 root and checks that it works and uninstalls cleanly:
#
#   packaging/test-deb-install.sh [--keep] path/to/redwire_<version>_<arch>.deb
#
#  1. A minimal Debian 12 (bookworm) root made with debootstrap --variant=minbase from Debian's
#     mirror, cached as a tarball (built once, rebuilt when older than 30 days), unpacked afresh.
#  2. apt resolves and installs the package's Depends from Debian's packages (apt-get satisfy,
#     --no-install-recommends, so the Depends alone must suffice), then apt installs the .deb.
#  3. `redwire-monitor --version` and `redwire --version` print the package's version.
#  4. `redwire` starts on the offscreen platform and reaches its first screen: with
#     REDWIRE_REPORT_READY=1 it prints "redwire: first screen ready" on stderr. A build without that
#     hook passes when it is still running after REDWIRE_PKGTEST_SETTLE seconds (default 8) with no
#     QML error on stderr.
#  5. `apt-get purge redwire` leaves no file behind: none of `dpkg -L redwire` remains, and the
#     root's file list (outside /proc /sys /dev /run /tmp /var/cache /var/log /var/lib/apt
#     /var/lib/dpkg) is the same as before the .deb was installed.
#
# Prints "test-deb-install: PASS" or "test-deb-install: FAIL: <why>" last; exit status 0 or 1
# (2 for a usage error). Needs root, debootstrap, chroot, unshare (util-linux) and the network to
# reach Debian's mirror. Runs in a private mount namespace, so that no mount outlives it.
#
# Environment:
#   REDWIRE_PKGTEST_DIR       work directory (default <repo>/build/pkgtest): root/, logs
#   REDWIRE_PKGTEST_CACHE     cache (default <work>/cache): base tarball, debootstrap and apt .debs
#   REDWIRE_DEBIAN_MIRROR     default http://deb.debian.org/debian
#   REDWIRE_DEBIAN_SECURITY   default http://deb.debian.org/debian-security
#   REDWIRE_PKGTEST_SETTLE    seconds the app must stay up without the ready hook (default 8)
#   REDWIRE_PKGTEST_READY_TIMEOUT  seconds to wait for the first screen (default 30)
#   REDWIRE_PKGTEST_SEED_HOST_CACHE  1 (default): copy .debs apt needs from the host's
#                             /var/cache/apt/archives when present (same files; apt checks hashes)
set -euo pipefail

keep=0
if [ "${1:-}" = "--keep" ]; then keep=1; shift; fi
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    sed -n '2,4p' "$0" >&2
    echo "test-deb-install: FAIL: give the path of an existing .deb" >&2
    exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deb="$(realpath "$1")"
work="${REDWIRE_PKGTEST_DIR:-$repo/build/pkgtest}"
cache="${REDWIRE_PKGTEST_CACHE:-$work/cache}"
mirror="${REDWIRE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${REDWIRE_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}"
settle="${REDWIRE_PKGTEST_SETTLE:-8}"
ready_timeout="${REDWIRE_PKGTEST_READY_TIMEOUT:-30}"
seed_host="${REDWIRE_PKGTEST_SEED_HOST_CACHE:-1}"
suite=bookworm
root="$work/root"
log="$work/test-deb-install.log"
t_start=$(date +%s)

say() { printf 'test-deb-install: [%4ds] %s\n' $(( $(date +%s) - t_start )) "$*"; }
fail() {
    echo "test-deb-install: FAIL: $*"
    exit 1
}

# --- run in a private mount namespace (mounts vanish with it, even on SIGKILL) --------------------
if [ "${_REDWIRE_PKGTEST_IN_NS:-}" != 1 ]; then
    [ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap, chroot, mount)"
    for tool in debootstrap chroot unshare mount umount tar dpkg-deb timeout; do
        command -v "$tool" >/dev/null || fail "'$tool' not found (Debian: apt-get install debootstrap util-linux tar dpkg coreutils)"
    done
    export _REDWIRE_PKGTEST_IN_NS=1
    args=()
    [ "$keep" = 1 ] && args+=(--keep)
    exec unshare --mount --propagation private -- "$0" "${args[@]}" "$deb"
fi

mkdir -p "$work" "$cache/debootstrap" "$cache/apt-archives/partial"
: > "$log"
arch="$(dpkg-deb -f "$deb" Architecture)"
[ "$arch" = all ] && arch="$(dpkg --print-architecture)"
package="$(dpkg-deb -f "$deb" Package)"
version="$(dpkg-deb -f "$deb" Version)"
upstream_version="${version#*:}"; upstream_version="${upstream_version%-*}"
depends="$(dpkg-deb -f "$deb" Depends)"
base="$cache/base-$suite-$arch-minbase.tar.gz"
say "package $package $version ($arch); work $work; log $log"

# --- mounts and clean-up ---------------------------------------------------------------------------
mounts_under_root() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts; }
unmount_all() {
    local m
    for m in $(mounts_under_root | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}
remove_root() {
    unmount_all
    if [ -n "$(mounts_under_root)" ]; then
        echo "test-deb-install: WARNING: still mounted under $root, not removing it" >&2
        return 0
    fi
    rm -rf --one-file-system "$root"
}
cleanup() {
    local rc=$?
    if [ "$keep" = 1 ]; then unmount_all; else remove_root; fi
    rm -rf "$work/base-build" 2>/dev/null || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_root() {
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
    mkdir -p "$root/var/cache/apt/archives"
    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
}

in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
# Runs a command in the root with a time limit; its output goes to the log.
step() {
    local limit="$1"; shift
    echo "+ [chroot] $*" >> "$log"
    timeout --kill-after=10 "$limit" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" >> "$log" 2>&1
}
show_log_tail() { echo "---- last lines of $log ----"; tail -n 40 "$log"; echo "----"; }

apt_opts=(-q -y -o Dpkg::Use-Pty=0 -o Acquire::Retries=3 -o APT::Install-Recommends=false)

# --- 1. the base root --------------------------------------------------------------------------
if [ -f "$base" ] && [ -n "$(find "$base" -mtime +30 2>/dev/null)" ]; then
    say "base root older than 30 days: rebuilding it"
    rm -f "$base"
fi
if [ ! -f "$base" ]; then
    say "creating the base root with debootstrap ($suite, minbase, $mirror); cached as $base"
    bb="$work/base-build"
    rm -rf --one-file-system "$bb"
    if ! timeout 1200 debootstrap --variant=minbase --arch="$arch" --cache-dir="$cache/debootstrap" \
            "$suite" "$bb" "$mirror" >> "$log" 2>&1; then
        show_log_tail; fail "debootstrap failed"
    fi
    cat > "$bb/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF
    # No service starts inside the root (redis-server, if it ever gets installed).
    printf '#!/bin/sh\nexit 101\n' > "$bb/usr/sbin/policy-rc.d"
    chmod 755 "$bb/usr/sbin/policy-rc.d"
    printf 'APT::Sandbox::User "root";\n' > "$bb/etc/apt/apt.conf.d/99redwire-test"
    rm -rf "$bb/var/cache/apt/archives"/*.deb
    tar --numeric-owner -C "$bb" -czf "$base.tmp" .
    mv "$base.tmp" "$base"
    rm -rf --one-file-system "$bb"
    say "base root cached ($(du -h "$base" | cut -f1))"
fi

remove_root
mkdir -p "$root"
tar --numeric-owner -C "$root" -xzf "$base"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount_root
say "root ready"

# --- 2. dependencies by apt, then the .deb --------------------------------------------------------
if ! step 600 apt-get "${apt_opts[@]}" update; then show_log_tail; fail "apt-get update failed in the root"; fi
if [ "$seed_host" = 1 ] && [ -d /var/cache/apt/archives ]; then
    seeded=0
    while read -r name; do
        if [ -f "/var/cache/apt/archives/$name" ] && [ ! -f "$cache/apt-archives/$name" ]; then
            cp "/var/cache/apt/archives/$name" "$cache/apt-archives/$name" && seeded=$((seeded + 1))
        fi
    done < <(in_root apt-get "${apt_opts[@]}" --print-uris satisfy "$depends" 2>/dev/null \
             | awk -F"'" '/^'"'"'/ { split($3, f, " "); print f[1] }')
    [ "$seeded" -gt 0 ] && say "copied $seeded .debs from the host's apt cache"
fi
say "installing the Depends with apt: $depends"
if ! step 1200 apt-get "${apt_opts[@]}" satisfy "$depends"; then
    show_log_tail; fail "apt cannot install the package's Depends from Debian's packages"
fi

exclude='^/(proc|sys|dev|run|tmp|var/cache|var/log|var/lib/apt|var/lib/dpkg)(/|$)'
list_files() { in_root find / -xdev 2>/dev/null | grep -Ev "$exclude" | LC_ALL=C sort; }
list_files > "$work/files-before.txt"

cp "$deb" "$root/tmp/"
debname="$(basename "$deb")"
say "installing /tmp/$debname with apt"
if ! step 600 apt-get "${apt_opts[@]}" install "/tmp/$debname"; then show_log_tail; fail "apt-get install of the .deb failed"; fi
newly="$(grep -Eo '[0-9]+ newly installed' "$log" | tail -n1 | cut -d' ' -f1)"
[ "$newly" = 1 ] || { show_log_tail; fail "installing the .deb pulled in $newly packages: its Depends are incomplete for apt-get satisfy"; }
in_root dpkg-query -W -f='${db:Status-Status}' "$package" | grep -qx installed || fail "$package is not installed"
in_root dpkg -L "$package" | grep -v '^/\.$' | LC_ALL=C sort > "$work/package-files.txt"

for f in /usr/bin/redwire /usr/bin/redwire-monitor /usr/share/man/man1/redwire.1.gz \
         /usr/share/man/man1/redwire-monitor.1.gz /usr/share/icons/hicolor/scalable/apps/redwire.svg \
         /usr/share/icons/hicolor/48x48/apps/redwire.png /usr/share/doc/redwire/copyright \
         /usr/share/doc/redwire/README.md; do
    grep -qx "$f" "$work/package-files.txt" || fail "the package does not install $f"
done
grep -Eq '^/usr/share/applications/.+\.desktop$' "$work/package-files.txt" || fail "no .desktop file"
grep -Eq '^/usr/share/metainfo/.+\.metainfo\.xml$' "$work/package-files.txt" || fail "no AppStream metainfo"
say "installed: $(grep -c . "$work/package-files.txt") paths"

# --- 3. versions -----------------------------------------------------------------------------------
out="$(in_root timeout 20 redwire-monitor --version 2>&1)" || fail "redwire-monitor --version failed: $out"
say "redwire-monitor --version: $out"
[ "$out" = "redwire-monitor $upstream_version" ] || fail "redwire-monitor --version printed '$out', expected 'redwire-monitor $upstream_version'"
mkdir -p "$root/tmp/redwire-home" "$root/tmp/redwire-runtime"
chmod 700 "$root/tmp/redwire-runtime"
out="$(in_root XDG_RUNTIME_DIR=/tmp/redwire-runtime QT_QPA_PLATFORM=offscreen timeout 20 redwire --version 2>&1)" || fail "redwire --version failed: $out"
say "redwire --version: $out"
[ "$(printf '%s\n' "$out" | tail -n1)" = "redwire $upstream_version" ] || fail "redwire --version printed '$out', expected 'redwire $upstream_version'"

# --- 4. the app reaches its first screen -----------------------------------------------------------
app_err="$root/tmp/redwire-stderr.txt"
: > "$app_err"
hook=0
grep -aq 'first screen ready' "$root/usr/bin/redwire" && hook=1
say "starting redwire on the offscreen platform (ready hook in this build: $([ $hook = 1 ] && echo yes || echo no))"
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp/redwire-home LANG=C.UTF-8 \
    XDG_RUNTIME_DIR=/tmp/redwire-runtime QT_QPA_PLATFORM=offscreen REDWIRE_REPORT_READY=1 \
    timeout --kill-after=5 $((ready_timeout + 10)) /usr/bin/redwire > /dev/null 2> "$app_err" &
app_pid=$!
ready=0; exited=0; waited=0
deadline=$(( $(date +%s) + ready_timeout ))
while [ "$(date +%s)" -lt "$deadline" ]; do
    if grep -q '^redwire: first screen ready' "$app_err"; then ready=1; break; fi
    if ! kill -0 "$app_pid" 2>/dev/null; then exited=1; break; fi
    if [ "$hook" = 0 ] && [ "$waited" -ge $((settle * 2)) ]; then break; fi
    sleep 0.5; waited=$((waited + 1))
done
app_rc=""
if [ "$exited" = 1 ]; then wait "$app_pid" && app_rc=0 || app_rc=$?; fi
running=0
kill -0 "$app_pid" 2>/dev/null && running=1
if [ "$running" = 1 ]; then
    kill -TERM "$app_pid" 2>/dev/null || true
    # `timeout` forwards TERM to the app; give it a moment to quit, then make sure.
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
fi
{ echo "+ redwire stderr:"; cat "$app_err"; } >> "$log"
qml_errors="$(grep -E 'qrc:/|\.qml:[0-9]+|is not installed|QQmlApplicationEngine|cannot load|Cannot load|Could not load|failed to load|platform plugin' "$app_err" || true)"
if [ "$ready" = 1 ]; then
    [ -z "$qml_errors" ] || { cat "$app_err"; fail "redwire reported its first screen but printed QML errors"; }
    say "redwire: first screen ready (reported by the app)"
elif [ "$exited" = 1 ]; then
    cat "$app_err"; fail "redwire exited (status $app_rc) before reaching its first screen"
elif [ "$hook" = 1 ]; then
    cat "$app_err"; fail "redwire did not report its first screen within ${ready_timeout}s"
elif [ -n "$qml_errors" ]; then
    cat "$app_err"; fail "redwire printed QML errors"
else
    say "redwire still running after ${settle}s with no QML error (no ready hook in this build)"
fi

# --- 5. purge leaves nothing behind ----------------------------------------------------------------
say "purging $package"
if ! step 300 apt-get "${apt_opts[@]}" purge "$package"; then show_log_tail; fail "apt-get purge failed"; fi
status="$(in_root dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)"
[ -z "$status" ] || [ "$status" = not-installed ] || fail "$package is still '$status' after purge"
left=""
while read -r path; do
    [ -e "$root$path" ] || [ -L "$root$path" ] || continue
    [ -d "$root$path" ] && [ ! -L "$root$path" ] && continue   # directories are checked below
    left+="$path"$'\n'
done < "$work/package-files.txt"
[ -z "$left" ] || fail "files of the package remain after purge:"$'\n'"$left"
list_files > "$work/files-after.txt"
if ! diff -u "$work/files-before.txt" "$work/files-after.txt" > "$work/files-diff.txt"; then
    cat "$work/files-diff.txt"
    fail "the file list after purge differs from the one before install (see above)"
fi
say "purge left no file behind"

echo "test-deb-install: PASS ($package $version: installed in a clean Debian 12 root, versions, first screen, purge; $(( $(date +%s) - t_start ))s)"
