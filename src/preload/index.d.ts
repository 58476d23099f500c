export {};

declare global {
  interface Window {
    cmdopInfo?: { platform: string };
  }
}
