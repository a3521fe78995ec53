import type { Toolset } from './define.js';
import { identity } from './identity.js';

/** Every toolset the gateway knows, in the order tools/list shows them. */
export const toolsets: readonly Toolset[] = [identity];
