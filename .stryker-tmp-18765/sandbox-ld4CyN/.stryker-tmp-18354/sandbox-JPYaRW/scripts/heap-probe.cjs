// @ts-nocheck
// 
// Preloaded by scripts/scale.mjs (node --expose-gc -r): on SIGUSR2, prints the live heap after
// a full collection, so memory figures count what is kept, not what is not yet collected.
process.on('SIGUSR2', () => {
  global.gc();
  global.gc();
  process.stderr.write(`HEAP ${process.memoryUsage().heapUsed}\n`);
});
