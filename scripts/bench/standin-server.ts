/** The stand-in in its own process for benchmarks; answers IPC "count" with validation calls seen. */
import { startStandin } from '../../src/standin/index.js';

const standin = await startStandin({ port: Number(process.argv[2] ?? 0) });
process.send?.({ url: standin.url });
process.on('message', (msg: unknown) => {
  if (msg === 'count') {
    const n = standin.requests.filter((r) => r.path === '/api/method/frappe.auth.get_logged_user').length;
    process.send?.({ validations: n, requests: standin.requests.length });
  }
  if (typeof msg === 'string' && msg.startsWith('delay:')) {
    const ms = Number(msg.slice(6));
    standin.setFault(ms > 0 ? 'slow' : null, { delayMs: ms });
    process.send?.({ delay: ms });
  }
  if (msg === 'reset') {
    standin.resetRequests();
    process.send?.({ reset: true });
  }
});
