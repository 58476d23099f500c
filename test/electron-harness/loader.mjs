// Module resolution hook (node:module register): in Electron `electron` is a built-in module
// every file can import, the app's and its dependencies' (electron-store) alike. Here the
// same specifier resolves to the stand-in, for every importer.
const STAND_IN = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: STAND_IN, shortCircuit: true };
  return next(specifier, context);
}
