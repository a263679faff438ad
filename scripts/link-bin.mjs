#!/usr/bin/env node
/**
 * Puts the `maritime` command in node_modules/.bin (run by `prepare`, i.e. by every `npm install` / `npm ci` here),
 * so `npx maritime ...` runs bin/maritime.js straight away.
 *
 * Why not a `bin` entry in package.json: when the project's own package.json names a bin, `npx <that bin>` does not
 * run it from the tree; npm (libnpmexec) "installs the local package into the npx cache so that its bin links get
 * set up" on every call: ~1.5 s of CPU per command, and a minute the first time (measured with npm 11.19 here). The
 * package is private (never published), so the bin entry bought nothing else. `npx` finds node_modules/.bin first.
 */
import { chmodSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'bin', 'maritime.js');
const binDir = join(root, 'node_modules', '.bin');

function exists(path) {
    try {
        lstatSync(path);
        return true;
    } catch {
        return false;
    }
}

mkdirSync(binDir, { recursive: true });
chmodSync(target, 0o755);
const link = join(binDir, 'maritime');
if (exists(link)) rmSync(link);
if (process.platform === 'win32') {
    // what npm's own bin shims do on Windows
    writeFileSync(`${link}.cmd`, `@node "%~dp0\\${relative(binDir, target)}" %*\r\n`);
} else {
    symlinkSync(relative(binDir, target), link);
}
