// Writes local/data/particulars.example.csv from the simulated fleet (seed 1, 200 vessels). Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { stdout } from 'node:process';
import { fileURLToPath, URL } from 'node:url';

import { Fleet } from '../dist/local/simulator/fleet.js';
import { fleetParticularsCsv } from '../dist/local/simulator/particulars.js';

const out = fileURLToPath(new URL('../local/data/particulars.example.csv', import.meta.url));
writeFileSync(out, fleetParticularsCsv(new Fleet({ seed: 1, vessels: 200 }).vessels));
stdout.write(`wrote ${out}\n`);
