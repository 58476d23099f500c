// @ts-nocheck
// 
// The app's version, as package.json says: the bundlers inline this one field, so it is
// right in the built app, `serve` and tests alike. Cmdop's machines call it `agent_version`.
import { version } from '../../package.json';

export const APP_VERSION: string = version;
