#!/usr/bin/env bash
# A throwaway SoftHSM2 token for tests and development; never touches the system token directory.
#
#   scripts/softhsm-token.sh create DIR [LABEL] [PIN] [SO_PIN]
#       makes DIR/softhsm2.conf and DIR/tokens, initialises a token there and prints the env lines
#       (KEY=value, one per line) that point the kiosk at it.
#   scripts/softhsm-token.sh env DIR      prints the env lines again
#   scripts/softhsm-token.sh delete DIR   removes a directory this script made (and nothing else)
#
# The PINs printed are those of a throwaway test token; a field token's PIN is never printed.
set -euo pipefail

MARKER=.kiosk-softhsm-token
MODULE=${KIOSK_PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}

die() {
  echo "softhsm-token: $*" >&2
  exit 2
}

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

system_dir() {
  # The token directory of the system configuration (or the Debian default).
  local conf=/etc/softhsm/softhsm2.conf dir=/var/lib/softhsm/tokens
  if [[ -r $conf ]]; then
    dir=$(sed -n 's/^[[:space:]]*directories\.tokendir[[:space:]]*=[[:space:]]*//p' "$conf" | head -1)
  fi
  realpath -m "${dir:-/var/lib/softhsm/tokens}"
}

resolve_dir() {
  [[ -n ${1:-} ]] || usage
  local dir
  dir=$(realpath -m "$1")
  local sys
  sys=$(system_dir)
  case "$dir/" in
    "$sys"/* | /var/lib/softhsm/*) die "refusing to use the system token directory ($dir)" ;;
  esac
  [[ $dir != / ]] || die "refusing to use /"
  printf '%s\n' "$dir"
}

print_env() {
  local dir=$1
  # shellcheck disable=SC1091
  source "$dir/$MARKER"
  printf 'SOFTHSM2_CONF=%s\n' "$dir/softhsm2.conf"
  printf 'KIOSK_PKCS11_MODULE=%s\n' "$MODULE"
  printf 'KIOSK_TOKEN_LABEL=%s\n' "$LABEL"
  printf 'KIOSK_TOKEN_PIN=%s\n' "$PIN"
}

cmd=${1:-}
case "$cmd" in
  create)
    command -v softhsm2-util >/dev/null || die "softhsm2-util is not installed"
    dir=$(resolve_dir "${2:-}")
    label=${3:-kiosk}
    pin=${4:-123456}
    so_pin=${5:-12345678}
    if [[ -e $dir && -n $(ls -A "$dir" 2>/dev/null) && ! -f $dir/$MARKER ]]; then
      die "$dir exists and was not made by this script"
    fi
    mkdir -p "$dir/tokens"
    chmod 700 "$dir"
    cat >"$dir/softhsm2.conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
CONF
    printf 'LABEL=%q\nPIN=%q\n' "$label" "$pin" >"$dir/$MARKER"
    chmod 600 "$dir/$MARKER"
    SOFTHSM2_CONF=$dir/softhsm2.conf softhsm2-util --init-token --free --label "$label" \
      --so-pin "$so_pin" --pin "$pin" >/dev/null
    print_env "$dir"
    ;;
  env)
    dir=$(resolve_dir "${2:-}")
    [[ -f $dir/$MARKER ]] || die "$dir was not made by this script"
    print_env "$dir"
    ;;
  delete)
    dir=$(resolve_dir "${2:-}")
    [[ -e $dir ]] || exit 0
    [[ -f $dir/$MARKER ]] || die "$dir was not made by this script; not deleting it"
    rm -rf -- "$dir"
    ;;
  *) usage ;;
esac
