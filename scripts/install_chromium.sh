#!/usr/bin/env bash
# Make a headless-capable Chromium available for the report's browser test.
#
# If chromium, chromium-browser or google-chrome is already on PATH, print its
# path and exit 0. Otherwise install Debian's `chromium` package with apt-get
# (through sudo when not root; `apt-get update` first if the package lists are
# missing) and print the path. Idempotent; quiet on success apart from the path.
set -euo pipefail

find_browser() {
    local name
    for name in chromium chromium-browser google-chrome; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

# Chinese labels need a CJK font, or screenshots show boxes (the render check passes either way).
has_cjk_font() {
    command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]]
}

PACKAGES=(chromium fonts-wqy-zenhei)
if browser="$(find_browser)"; then
    if has_cjk_font; then
        echo "$browser"
        exit 0
    fi
    PACKAGES=(fonts-wqy-zenhei)
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install_chromium.sh: not root and sudo is missing; install the 'chromium' package by hand" >&2
        exit 1
    fi
    SUDO=(sudo)
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt_install() {
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >"$log" 2>&1
}

if ! apt_install; then
    # Usually "Unable to locate package": the lists were never fetched.
    if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get update -q >"$log" 2>&1 || ! apt_install; then
        echo "install_chromium.sh: apt-get failed:" >&2
        cat "$log" >&2
        exit 1
    fi
fi

if ! find_browser; then
    echo "install_chromium.sh: chromium was installed but is not on PATH" >&2
    exit 1
fi
