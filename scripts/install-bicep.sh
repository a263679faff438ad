#!/usr/bin/env bash
# Restores the real Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 into tools/bicep/
# (git-ignored) and prints the path of the binary. Idempotent: does nothing when the pinned version is present.
# Uses only `dotnet restore` against the configured NuGet source (no direct downloads), so it works on a
# fresh machine and in CI (.ci/run calls it before the infra tests).
#
#   bash scripts/install-bicep.sh            # prints e.g. /repo/tools/bicep/bicep
#   BICEP_VERSION=0.49.2 bash scripts/install-bicep.sh
set -euo pipefail

# 0.49.2 is the newest version the configured NuGet source serves (checked with a floating `*` restore).
BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
PACKAGE_ID="Azure.Bicep.CommandLine.linux-x64"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/tools/bicep"
BIN="$DEST/bicep"
STAMP="$DEST/.version"

log() { echo "install-bicep: $*" >&2; }

if [[ "$(uname -s)" != "Linux" || "$(uname -m)" != "x86_64" ]]; then
    log "only linux-x64 is supported by this script (got $(uname -s)/$(uname -m)); install Bicep another way (az bicep install)"
    exit 1
fi

if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$BICEP_VERSION" ]] && "$BIN" --version >/dev/null 2>&1; then
    log "Bicep CLI $BICEP_VERSION already present"
    echo "$BIN"
    exit 0
fi

if ! command -v dotnet >/dev/null 2>&1; then
    log "dotnet SDK not found on PATH; it is needed to restore $PACKAGE_ID from NuGet"
    exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# A throwaway project whose only purpose is to download the package (PackageDownload: no assets, no framework
# compatibility check). The target framework is whatever the installed SDK supports.
TFM="net$(dotnet --version | cut -d. -f1-2)"
cat >"$WORK/restore-bicep.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$TFM</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$PACKAGE_ID" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
XML

log "restoring $PACKAGE_ID $BICEP_VERSION with dotnet restore"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore "$WORK/restore-bicep.csproj" --packages "$WORK/packages" --nologo >"$WORK/restore.log" 2>&1 || {
    cat "$WORK/restore.log" >&2
    log "dotnet restore failed"
    exit 1
}

SRC="$WORK/packages/$(echo "$PACKAGE_ID" | tr '[:upper:]' '[:lower:]')/$BICEP_VERSION/tools/bicep"
if [[ ! -f "$SRC" ]]; then
    log "the package did not contain tools/bicep (looked at $SRC)"
    exit 1
fi

mkdir -p "$DEST"
cp "$SRC" "$BIN.tmp"
chmod +x "$BIN.tmp"
mv -f "$BIN.tmp" "$BIN"
echo "$BICEP_VERSION" >"$STAMP"
log "$("$BIN" --version)"
echo "$BIN"
