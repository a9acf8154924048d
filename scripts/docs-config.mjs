// `npm run docs:config`: writes docs/configuration.md from the declarations in packages/config
// (its built dist, which run-prepared.mjs brings up to date first). packages/config's
// reference.test.ts fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { configurationReference, SCHEMAS } = require('@payments/config');
const file = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(file, configurationReference(SCHEMAS));
console.log(`wrote docs/configuration.md: ${new Set(SCHEMAS.flatMap((s) => s.variables.map((v) => v.name))).size} variables, ${SCHEMAS.length} readers`);
