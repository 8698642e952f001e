#!/usr/bin/env bash
# Installs the Debian packages Translive needs, when root; otherwise names what is missing.
#   scripts/install-deps.sh run    Apertium (the real offline engine)
#   scripts/install-deps.sh test   Apertium, APy, Chromium and its driver (browser tests), and the
#                                  tools that make and check the format tests' documents (pandoc, python-docx,
#                                  openpyxl, epubcheck), python3 for the TCP bridge client
set -euo pipefail
purpose="${1:-run}"
packages=(apertium apertium-eng-spa)
# Fonts for translated PDFs: Noto for Latin, Cyrillic, Greek and other scripts, WenQuanYi for CJK.
packages+=(fonts-noto-core fonts-wqy-microhei)
if [ "$purpose" = "test" ] || [ "$purpose" = "bench" ]; then
  packages+=(apertium-apy chromium chromium-driver)
  # Documents made by other tools for the format tests.
  packages+=(pandoc python3-docx python3-openpyxl epubcheck poppler-utils)
  # Text recognition for scans and images (optional when running; the tests need it).
  packages+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa)
  # Node and npm: the official SockJS event-bus client in the bridge tests, bench's Node ws broadcaster.
  # (checked by command: a NodeSource nodejs brings its own npm and conflicts with Debian's).
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
  # The README's TCP bridge client, run by TcpBridgeTest and ClusterIT.
  packages+=(python3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

if [ "$purpose" = "run" ]; then
  echo "NOTE: ${missing[*]} not installed and not root: Translive starts on the demo engine (pseudo-translations)."
  echo "      For real translation run: sudo apt-get install ${missing[*]}"
  exit 0
fi
echo "ERROR: the tests need ${missing[*]}. Run as root, or: sudo apt-get install ${missing[*]}" >&2
exit 1
