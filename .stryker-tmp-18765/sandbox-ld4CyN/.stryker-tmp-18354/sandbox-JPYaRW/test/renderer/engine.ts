// @ts-nocheck
// 
// The engine's answers for the preview's component tests: core's expressionFires, the code
// behind POST /v1/cron/fires. core is Node code, outside this browser-typed project, so it
// is loaded at run time (test/helpers/engine-fires.ts, type-checked with the Node project).
import type { Mock } from 'vitest';
import type { CronFiresInput, FiresResult } from '../../src/shared/fires-api';

export type EngineFires = Mock<(input: CronFiresInput) => Promise<FiresResult>>;

const helper = '../helpers/engine-fires';
const loaded = (await import(/* @vite-ignore */ helper)) as { engineFires(): EngineFires };

/** A spy answering each question as the route would. */
export const engineFires: () => EngineFires = loaded.engineFires;
