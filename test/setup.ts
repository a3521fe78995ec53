// Tests talk to loopback servers only; nock blocks everything else so nothing leaves the machine.
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

// Temp folders (OAuth stores, config files) go when the test file ends, not into the machine's /tmp for good.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/temp.js';

afterAll(removeTempDirs);
