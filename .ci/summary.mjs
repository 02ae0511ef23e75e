// Prints "N passed, N failed" from vitest's JSON report. A missing report (the run never reached
// the tests: typecheck or lint failed) counts as one failure, so CI never reads a false green.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
let passed = 0;
let failed = 1;
try {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.success === false && report.numFailedTests === 0 ? 1 : 0);
} catch {
  console.error(`no test report at ${path}: the run stopped before the tests`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
