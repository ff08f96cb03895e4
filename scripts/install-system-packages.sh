#!/usr/bin/env bash
# Installs the Debian packages the kiosk and its tests need (Debian 12; run as root).
# PC/SC with the virtual reader driver, JPEG 2000 tools, iproute2 for the tests' network
# namespaces, a toolchain for the native PC/SC addon, xmllint for the result-document schema and
# PostgreSQL for the reference upstream at national scale, and Chromium with a JIS X 0213 font
# (Noto CJK) for the app-mode shell, screen previews and the end-to-end tests.
set -euo pipefail

PACKAGES=(
  pcscd libpcsclite-dev vsmartcard-vpcd libopenjp2-tools iproute2 util-linux openssl ca-certificates
  python3 make g++ strace softhsm2 libxml2-utils postgresql chromium fonts-noto-cjk ffmpeg
)

if [[ $(id -u) -ne 0 ]]; then
  echo "install-system-packages: run as root (sudo $0)" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
