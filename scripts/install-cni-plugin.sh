#!/usr/bin/env bash
# Installs, upgrades, rolls back or removes the azure-vnet CNI plugins on a Linux node.
# See docs/operations.md for the whole procedure; `install-cni-plugin.sh --help` for the options.
#
# What it guarantees:
#   * every binary is replaced atomically: written to a temporary file in the target directory, fsynced,
#     then renamed over the old one, so a runtime exec'ing a plugin mid-upgrade gets the old or the new
#     binary, never a half-written one; a plugin already running keeps its old image;
#   * the version it replaces is kept in <bin>/.azure-cni/previous/ (`--rollback` swaps it back);
#   * running it twice with the same archive changes nothing;
#   * an operator-edited 10-azure.conflist is kept: the new one is written next to it as
#     10-azure.conflist.new (runtimes only read *.conf, *.conflist and *.json);
#   * `--uninstall` removes exactly what it installed, and nothing else (not the state or log files).
set -euo pipefail

readonly PLUGINS=(azure-vnet azure-vnet-ipam)
readonly CONFLIST=10-azure.conflist

usage() {
    cat <<'EOF'
Usage: install-cni-plugin.sh [options] [version]

Installs the plugins (azure-vnet, azure-vnet-ipam) into /opt/cni/bin and 10-azure.conflist into
/etc/cni/net.d from the release archive azure-vnet-cni-linux-amd64-v<version>.tgz.

The archive is, in this order: --from PATH|URL; else output/azure-vnet-cni-linux-amd64-v<version>.tgz
of the checkout this script lives in (what `make azure-cni-plugins VERSION=<version>` builds); else
$AZURE_CNI_RELEASE_URL with ${VERSION} expanded (e.g. https://releases.example.com/v${VERSION}/
azure-vnet-cni-linux-amd64-v${VERSION}.tgz). URLs are fetched with curl or wget.

Options:
  --from PATH|URL     the release archive (a local file, or an http(s) URL)
  --prefix DIR        root every path under DIR (tests, image builds); root is then not required
  --bin-dir DIR       plugin directory (default /opt/cni/bin)
  --conf-dir DIR      network config directory (default /etc/cni/net.d)
  --loopback PATH     where to copy the loopback plugin from when the bin dir has none
                      (default /usr/lib/cni/loopback, from the containernetworking-plugins package)
  --force-conflist    replace 10-azure.conflist even if it was edited (the edited one is kept in
                      <bin>/.azure-cni/previous/)
  --rollback          reinstall the version the last install replaced (running it twice rolls forward);
                      when that is an upstream Azure CNI release, the state files are first written back
                      in upstream's format (`azure-vnet state export --format upstream`)
  --uninstall         remove what this script installed
  --status            print what is installed and exit
  -h, --help          this text
EOF
}

die() { echo "install-cni-plugin: error: $*" >&2; exit 1; }
say() { echo "install-cni-plugin: $*"; }

VERSION=""
FROM=""
PREFIX=""
BIN_DIR=/opt/cni/bin
CONF_DIR=/etc/cni/net.d
LOOPBACK_SOURCE=/usr/lib/cni/loopback
ACTION=install
FORCE_CONFLIST=0

while [ $# -gt 0 ]; do
    case "$1" in
        --from) FROM=${2:?--from needs a path or URL}; shift 2 ;;
        --from=*) FROM=${1#*=}; shift ;;
        --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --bin-dir) BIN_DIR=${2:?}; shift 2 ;;
        --conf-dir) CONF_DIR=${2:?}; shift 2 ;;
        --loopback) LOOPBACK_SOURCE=${2:?}; shift 2 ;;
        --force-conflist) FORCE_CONFLIST=1; shift ;;
        --rollback) ACTION=rollback; shift ;;
        --uninstall) ACTION=uninstall; shift ;;
        --status) ACTION=status; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [ -z "$VERSION" ] || die "more than one version given"; VERSION=${1#v}; shift ;;
    esac
done

if [ -n "$PREFIX" ]; then
    PREFIX=$(cd "$PREFIX" 2>/dev/null && pwd) || die "--prefix $PREFIX: no such directory"
elif [ "$(id -u)" -ne 0 ]; then
    die "run as root (the plugins go to $BIN_DIR and must be root-owned), or give --prefix"
fi

BIN="$PREFIX$BIN_DIR"
CONF="$PREFIX$CONF_DIR"
META="$BIN/.azure-cni"          # what this script installed: version, manifest, shipped conflist, previous/
STAGE=""

cleanup() {
    [ -z "$STAGE" ] || rm -rf "$STAGE"
    rm -f "$BIN"/.azure-cni-tmp.* "$CONF"/.azure-cni-tmp.* 2>/dev/null || true
}
trap cleanup EXIT

# fsync one file (coreutils sync takes file operands since 8.24); best effort elsewhere.
fsync() { sync "$@" 2>/dev/null || sync; }

# Atomically places SRC at DEST with MODE: temp file in DEST's directory, fsync, rename.
place() {
    local src=$1 dest=$2 mode=$3 tmp
    tmp=$(mktemp "$(dirname "$dest")/.azure-cni-tmp.XXXXXX")
    cat "$src" >"$tmp"
    chmod "$mode" "$tmp"
    [ "$(id -u)" -ne 0 ] || chown root:root "$tmp"
    fsync "$tmp"
    mv -f "$tmp" "$dest"
}

# Records every directory it creates, so --uninstall can remove exactly those (when empty).
make_dir() {
    local dir=$1 missing=() d=$1
    while [ ! -d "$d" ]; do missing=("$d" "${missing[@]}"); d=$(dirname "$d"); done
    for d in "${missing[@]}"; do
        mkdir -m 0755 "$d"
        created_dirs+=("$d")
    done
}

same() { [ -f "$1" ] && [ -f "$2" ] && cmp -s "$1" "$2"; }

installed_version() {
    if [ -x "$BIN/azure-vnet" ]; then
        "$BIN/azure-vnet" --version 2>/dev/null | sed -n 's/^Azure CNI Version v//p' | head -n1
    fi
}

# The manifest lists, one a line: "file <path>" for each file installed, "dir <path>" for each directory
# created, "loopback" when the loopback plugin was ours, "conflist-new" when a .new conflist was written.
manifest_has() { [ -f "$META/manifest" ] && grep -qxF "$1" "$META/manifest"; }

write_manifest() {
    local tmp
    tmp=$(mktemp "$BIN/.azure-cni-tmp.XXXXXX")
    printf '%s\n' "${manifest[@]}" | awk 'NF && !seen[$0]++' >"$tmp"
    fsync "$tmp"
    mv -f "$tmp" "$META/manifest"
}

fetch_archive() {
    local out=$1 url
    if [ -z "$FROM" ]; then
        [ -n "$VERSION" ] || die "give a version or --from PATH|URL"
        local here
        here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
        if [ -f "$here/output/azure-vnet-cni-linux-amd64-v$VERSION.tgz" ]; then
            FROM="$here/output/azure-vnet-cni-linux-amd64-v$VERSION.tgz"
        elif [ -n "${AZURE_CNI_RELEASE_URL:-}" ]; then
            FROM=${AZURE_CNI_RELEASE_URL//'${VERSION}'/$VERSION}
        else
            die "no archive for v$VERSION: build it (make azure-cni-plugins VERSION=$VERSION), pass --from PATH|URL, or set AZURE_CNI_RELEASE_URL"
        fi
    fi

    case "$FROM" in
        http://*|https://*)
            say "downloading $FROM"
            if command -v curl >/dev/null; then
                curl -fsSL --retry 3 -o "$out" "$FROM" || die "download of $FROM failed"
            elif command -v wget >/dev/null; then
                wget -q -O "$out" "$FROM" || die "download of $FROM failed"
            else
                die "neither curl nor wget is installed: download $FROM yourself and pass --from FILE"
            fi
            ;;
        *)
            [ -f "$FROM" ] || die "archive $FROM not found (build it with: make azure-cni-plugins VERSION=<version>)"
            cp "$FROM" "$out"
            ;;
    esac
}

# Installs the plugins and conflist found in directory SRC; the files replaced go to previous/.
install_from() {
    local src=$1 p changed=0 new_version
    for p in "${PLUGINS[@]}"; do
        [ -f "$src/$p" ] || die "the archive has no $p"
    done
    [ -f "$src/$CONFLIST" ] || die "the archive has no $CONFLIST"

    # Refuse a binary that cannot even print its version before touching anything.
    chmod 0755 "$src/azure-vnet"
    new_version=$("$src/azure-vnet" --version 2>/dev/null | sed -n 's/^Azure CNI Version v//p' | head -n1) ||
        die "the archive's azure-vnet does not run on this machine"
    [ -n "$new_version" ] || die "the archive's azure-vnet does not print its version"
    if [ -n "$VERSION" ] && [ "$ACTION" = install ] && [ "$new_version" != "$VERSION" ]; then
        die "the archive holds version $new_version, not $VERSION"
    fi

    make_dir "$BIN"
    make_dir "$CONF"
    make_dir "$META"

    for p in "${PLUGINS[@]}"; do
        same "$src/$p" "$BIN/$p" || changed=1
    done

    local conf_action=keep shipped="$META/shipped-$CONFLIST"
    if same "$src/$CONFLIST" "$CONF/$CONFLIST"; then
        conf_action=keep
    elif [ ! -e "$CONF/$CONFLIST" ] || same "$CONF/$CONFLIST" "$shipped" || [ "$FORCE_CONFLIST" = 1 ]; then
        conf_action=replace
    elif same "$src/$CONFLIST" "$CONF/$CONFLIST.new"; then
        conf_action=keep    # edited, and the new one already waits beside it
    else
        conf_action=side
    fi

    if [ "$changed" = 0 ] && [ "$conf_action" = keep ] && manifest_has "file $BIN/azure-vnet"; then
        say "version $new_version is already installed; nothing to do"
        return 0
    fi

    # Keep what is being replaced, so --rollback can restore it.
    if [ "$changed" = 1 ] && [ -f "$BIN/azure-vnet" ]; then
        local prev="$META/previous.new"
        rm -rf "$prev"
        mkdir -m 0755 "$prev"
        for p in "${PLUGINS[@]}"; do
            [ ! -f "$BIN/$p" ] || cp -p "$BIN/$p" "$prev/$p"
        done
        [ ! -f "$CONF/$CONFLIST" ] || cp -p "$CONF/$CONFLIST" "$prev/$CONFLIST"
        [ ! -f "$shipped" ] || cp -p "$shipped" "$prev/shipped-$CONFLIST"
        rm -rf "$META/previous"
        mv "$prev" "$META/previous"
    fi

    for p in "${PLUGINS[@]}"; do
        if ! same "$src/$p" "$BIN/$p"; then
            place "$src/$p" "$BIN/$p" 0755
        fi
        manifest+=("file $BIN/$p")
    done

    case "$conf_action" in
        replace)
            place "$src/$CONFLIST" "$CONF/$CONFLIST" 0644
            rm -f "$CONF/$CONFLIST.new"
            ;;
        side)
            place "$src/$CONFLIST" "$CONF/$CONFLIST.new" 0644
            say "kept your edited $CONF/$CONFLIST; the new version's is $CONF/$CONFLIST.new (merge it, or rerun with --force-conflist)"
            ;;
    esac
    # The shipped copy tells the next upgrade whether the operator has edited the live file.
    place "$src/$CONFLIST" "$shipped" 0644
    manifest+=("file $CONF/$CONFLIST")

    [ ! -f "$CONF/$CONFLIST.new" ] || manifest+=("conflist-new")
    install_loopback
    for d in "${created_dirs[@]}"; do manifest+=("dir $d"); done
    write_manifest
    fsync "$BIN" "$CONF" "$META"

    local now
    now=$(installed_version)
    [ "$now" = "$new_version" ] || die "installed azure-vnet reports version '$now', expected $new_version"
    say "installed azure-vnet and azure-vnet-ipam v$new_version in $BIN, $CONFLIST in $CONF"
}

install_loopback() {
    if manifest_has loopback; then
        manifest+=("loopback")
        return
    fi
    [ ! -e "$BIN/loopback" ] || return 0
    if [ -f "$LOOPBACK_SOURCE" ]; then
        place "$LOOPBACK_SOURCE" "$BIN/loopback" 0755
        manifest+=("loopback")
        say "installed the loopback plugin from $LOOPBACK_SOURCE"
    else
        say "warning: $BIN has no loopback plugin, which container runtimes need for every pod."
        say "  Debian/Ubuntu: apt-get install containernetworking-plugins, then rerun this script;"
        say "  elsewhere: extract ./loopback from cni-plugins-linux-amd64-<v>.tgz of"
        say "  https://github.com/containernetworking/plugins/releases into $BIN_DIR."
    fi
}

do_install() {
    STAGE=$(mktemp -d "${TMPDIR:-/tmp}/azure-cni-install.XXXXXX")
    fetch_archive "$STAGE/archive.tgz"
    mkdir "$STAGE/x"
    tar -xzf "$STAGE/archive.tgz" -C "$STAGE/x" --no-same-owner ||
        die "$FROM is not a gzip tar archive"
    install_from "$STAGE/x"
}

# This project's plugins read $AZURE_CNI_STATE_DIR; upstream Azure CNI's never mention it. A NativeAOT binary
# holds the name as UTF-16: the NULs are dropped before the search (grep reads to the end: no SIGPIPE for tr
# under pipefail).
is_ours() { [ -f "$1" ] && tr -d '\000' < "$1" | grep -a AZURE_CNI_STATE_DIR >/dev/null; }

do_rollback() {
    [ -f "$META/previous/azure-vnet" ] || die "no previous version is kept in $META/previous"
    if is_ours "$BIN/azure-vnet" && ! is_ours "$META/previous/azure-vnet"; then
        # Upstream reads only its own format: every pod this node runs must be in it before its plugins return.
        local state_dir=${AZURE_CNI_STATE_DIR:-$PREFIX/var/run}
        say "the previous version is an upstream release: writing the state in $state_dir back in its format"
        AZURE_CNI_STATE_DIR=$state_dir "$BIN/azure-vnet" state export --format upstream ||
            die "azure-vnet state export failed; nothing was rolled back"
    fi
    STAGE=$(mktemp -d "${TMPDIR:-/tmp}/azure-cni-install.XXXXXX")
    cp -p "$META/previous/"* "$STAGE/"
    # The previous conflist: the one it shipped (an operator's edit of the current one is then kept).
    if [ -f "$STAGE/shipped-$CONFLIST" ]; then
        cp -p "$STAGE/shipped-$CONFLIST" "$STAGE/$CONFLIST"
    fi
    [ -f "$STAGE/$CONFLIST" ] || cp -p "$META/shipped-$CONFLIST" "$STAGE/$CONFLIST"
    install_from "$STAGE"
}

do_uninstall() {
    [ -f "$META/manifest" ] || { say "nothing installed by this script under $BIN"; return 0; }
    local line path dirs=()
    while read -r line; do
        case "$line" in
            "file $CONF/$CONFLIST")
                path=${line#file }
                if [ -f "$path" ] && ! same "$path" "$META/shipped-$CONFLIST"; then
                    say "kept $path: it was edited after installation"
                else
                    rm -f "$path"
                fi
                ;;
            file\ *) rm -f "${line#file }" ;;
            loopback) rm -f "$BIN/loopback" ;;
            conflist-new) rm -f "$CONF/$CONFLIST.new" ;;
            dir\ *) dirs=("${line#dir }" "${dirs[@]}") ;;
        esac
    done <"$META/manifest"
    rm -rf "$META"
    # Directories it created, deepest first, when nothing else lives in them.
    local sorted
    sorted=$(printf '%s\n' "${dirs[@]}" | awk 'NF' | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
    while read -r path; do
        [ -z "$path" ] || rmdir "$path" 2>/dev/null || true
    done <<<"$sorted"
    say "uninstalled the azure-vnet CNI plugins (state in /var/run/azure-vnet*.json and logs in /var/log are left in place)"
}

do_status() {
    local v
    v=$(installed_version)
    if [ -n "$v" ]; then say "installed: v$v in $BIN"; else say "not installed in $BIN"; fi
    if [ -x "$META/previous/azure-vnet" ]; then
        say "rollback target: v$("$META/previous/azure-vnet" --version | sed -n 's/^Azure CNI Version v//p')"
    fi
    [ ! -f "$CONF/$CONFLIST.new" ] || say "pending config: $CONF/$CONFLIST.new"
}

created_dirs=()
manifest=()
# Directories created and the loopback plugin stay recorded across upgrades; files are listed afresh.
if [ -f "$META/manifest" ]; then
    while read -r line; do manifest+=("$line"); done < <(grep -v '^file \|^conflist-new$' "$META/manifest" || true)
fi

# One installer at a time per node.
if [ "$ACTION" != status ] && command -v flock >/dev/null; then
    lockdir="$PREFIX/run"
    [ -d "$lockdir" ] || lockdir="${TMPDIR:-/tmp}"
    exec 9>"$lockdir/azure-cni-install.lock"
    flock 9
fi

case "$ACTION" in
    install) do_install ;;
    rollback) do_rollback ;;
    uninstall) do_uninstall ;;
    status) do_status ;;
esac
