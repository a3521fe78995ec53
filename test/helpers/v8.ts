import { setFlagsFromString } from 'node:v8';

// V8's own introspection (%HaveSameMap and friends), for tests that hold the hot path to V8-friendly
// object shapes (issue #12). The flag only makes these calls parse; it changes nothing else.
setFlagsFromString('--allow-natives-syntax');

type Native<A extends unknown[], R> = (...args: A) => R;
const native = <A extends unknown[], R>(params: string[], body: string): Native<A, R> =>
  // %-calls are not TypeScript, so they are compiled from text; the text is fixed, never input.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function(...params, body) as Native<A, R>;

/** True when V8 gave both objects the same hidden class (map), as objects built alike should have. */
export const sameHiddenClass = native<[object, object], boolean>(['a', 'b'], 'return %HaveSameMap(a, b)');

/** False once an object has fallen into dictionary mode, where every property read is a hash lookup. */
export const hasFastProperties = native<[object], boolean>(['o'], 'return %HasFastProperties(o)');

/** Makes V8 compile `fn` with its optimising compiler at its next call, as a hot function would be. */
export const optimizeOnNextCall = native<[(...args: never[]) => unknown], void>(
  ['fn'],
  '%PrepareFunctionForOptimization(fn); %OptimizeFunctionOnNextCall(fn);',
);
