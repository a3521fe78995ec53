// Tests talk to loopback servers only; nock blocks everything else so nothing leaves the machine.
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
