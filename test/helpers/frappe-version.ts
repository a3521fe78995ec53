import { parseFrappeMajor, type FrappeMajor } from '../../src/standin/version.js';

/**
 * The Frappe version the stand-in imitates in this test run: FRAPPE_VERSION (set per vitest project, see
 * vitest.config.ts), else 15. Suites that run in both modes start their stand-in with it.
 */
export const TEST_FRAPPE_VERSION: FrappeMajor = parseFrappeMajor(process.env.FRAPPE_VERSION);
