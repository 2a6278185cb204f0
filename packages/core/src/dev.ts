declare const __CANDOR_DEV__: boolean | undefined;

/**
 * Whether detailed developer messages are kept. True everywhere unless a bundler defines
 * `__CANDOR_DEV__` as `false` (the browser SDK's production build does): the detail helps whoever
 * reads `onError`, but its bytes would otherwise ship to every visitor.
 */
export const DEV: boolean = typeof __CANDOR_DEV__ === 'undefined' || __CANDOR_DEV__;
