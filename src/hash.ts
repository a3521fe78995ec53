import * as crypto from 'node:crypto';

type Encoding = 'hex' | 'base64url';

// crypto.hash (Node 20.12+, 21.7+) hashes in one native call; createHash builds a Hash stream object
// per use, ~3x the CPU. Credential fingerprints are taken on every request (issue #12). Reading the
// export off the namespace keeps older Node 20 releases working, where it is absent.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: Encoding) => string }).hash;

/** SHA-256 of a UTF-8 string: the only form in which secrets are used as keys. */
export const sha256: (data: string, encoding?: Encoding) => string = oneShot
  ? (data, encoding = 'base64url') => oneShot('sha256', data, encoding)
  : (data, encoding = 'base64url') => crypto.createHash('sha256').update(data).digest(encoding);
