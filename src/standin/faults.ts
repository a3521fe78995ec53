import type { Request, Response } from 'express';

export type FaultMode = 'down' | 'slow' | '5xx' | 'html';

export interface FaultOptions {
  delayMs?: number;
  status?: number;
  paths?: RegExp;
}

export interface Fault {
  mode: FaultMode;
  opts: FaultOptions;
}

/**
 * Applies an injected fault. Returns true when the request was fully handled (down / 5xx / html); for `slow` it
 * waits and returns false so the normal answer follows.
 */
export async function applyFault(fault: Fault | null, req: Request, res: Response): Promise<boolean> {
  if (!fault || (fault.opts.paths && !fault.opts.paths.test(req.originalUrl))) return false;
  switch (fault.mode) {
    case 'down':
      req.socket.destroy();
      return true;
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.opts.delayMs ?? 1000));
      return false;
    case '5xx': {
      const status = fault.opts.status ?? 502;
      res
        .status(status)
        .type('text/html')
        .send(
          `<html>\n<head><title>${status} Bad Gateway</title></head>\n<body>\n<center><h1>${status} Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`,
        );
      return true;
    }
    case 'html':
      res
        .status(500)
        .type('text/html')
        .send(
          '<!DOCTYPE html>\n<html>\n<head>\n<title>Server Error</title>\n</head>\n<body>\n<h1>Server Error</h1>\n</body>\n</html>\n',
        );
      return true;
  }
}
