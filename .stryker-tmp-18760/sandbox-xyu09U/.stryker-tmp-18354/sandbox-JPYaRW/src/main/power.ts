// @ts-nocheck
// 
// Battery or AC in the tray app, from Electron's powerMonitor: `isOnBatteryPower()` answers
// on every platform; 'on-ac' / 'on-battery' are pushed on macOS and Windows (on Linux the
// engine also looks every 30 s while a fire waits for AC).
import type { PowerSource } from '../core/power';

export interface PowerMonitorLike {
  isOnBatteryPower(): boolean;
  on(event: 'on-ac' | 'on-battery', listener: () => void): unknown;
  removeListener(event: 'on-ac' | 'on-battery', listener: () => void): unknown;
}

export function electronPower(monitor: PowerMonitorLike): PowerSource {
  return {
    onBattery: () => monitor.isOnBatteryPower(),
    subscribe(listener) {
      monitor.on('on-ac', listener);
      monitor.on('on-battery', listener);
      return () => {
        monitor.removeListener('on-ac', listener);
        monitor.removeListener('on-battery', listener);
      };
    },
  };
}
